"use client";

import { ActionForm } from "@/components/action-form";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";

/**
 * A settings page's form card: fields under a title, and a save button for those who may change
 * them (`disabled` hides it). `onSubmit` gets the form's data; validation is the action's.
 */
export function SettingsCard({
  title,
  description,
  disabled,
  pending,
  saveLabel,
  savingLabel = saveLabel,
  onSubmit,
  className,
  children,
}: {
  title: string;
  description?: string;
  disabled: boolean;
  pending: boolean;
  saveLabel: string;
  savingLabel?: string;
  onSubmit: (data: FormData) => void;
  /** Of the fields' grid. */
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <Card>
      <ActionForm onSubmit={onSubmit}>
        <CardHeader>
          <CardTitle>{title}</CardTitle>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </CardHeader>
        <CardContent className={cn("grid", className)}>{children}</CardContent>
        {!disabled ? (
          <CardFooter className="justify-end">
            <Button type="submit" disabled={pending}>
              {pending ? savingLabel : saveLabel}
            </Button>
          </CardFooter>
        ) : null}
      </ActionForm>
    </Card>
  );
}
