"use client";

import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";

/** The red card at the bottom of a settings page that deletes the thing, behind a typed confirmation. */
export function DeleteCard({
  noun,
  consequences,
  dialogTitle,
  dialogDescription,
  confirmText,
  pending,
  onConfirm,
  className,
}: {
  /** "team", "project", "server": the card says "Delete <noun>". */
  noun: string;
  consequences: string;
  dialogTitle: string;
  dialogDescription: string;
  /** What the user types to confirm (the name or slug). */
  confirmText: string;
  pending: boolean;
  onConfirm: (typed: string) => Promise<boolean>;
  className?: string;
}) {
  const label = `Delete ${noun}`;
  return (
    <Card className={cn("border-destructive/40", className)}>
      <CardHeader>
        <CardTitle className="text-destructive">{label}</CardTitle>
        <CardDescription>{consequences}</CardDescription>
      </CardHeader>
      <CardFooter className="justify-end">
        <ConfirmDialog trigger={<Button variant="destructive">{label}</Button>} title={dialogTitle} description={dialogDescription} confirmText={confirmText} confirmLabel={label} pending={pending} onConfirm={onConfirm} />
      </CardFooter>
    </Card>
  );
}
