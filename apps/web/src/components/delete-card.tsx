"use client";

import { useRouter } from "next/navigation";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { attempt, useAction } from "@/lib/action-client";
import { cn } from "@/lib/utils";
import type { HandlerResult } from "@/server/handler";

/**
 * The red card at the bottom of a settings page that deletes the thing behind a typed
 * confirmation, then leaves for `redirectTo` (the page it was on is gone).
 */
export function DeleteCard<I>({
  noun,
  consequences,
  dialogTitle,
  dialogDescription,
  confirmText,
  action,
  input,
  success,
  redirectTo,
  className,
}: {
  /** "team", "project", "server": the card says "Delete <noun>". */
  noun: string;
  consequences: string;
  dialogTitle: string;
  dialogDescription: string;
  /** What the user types to confirm (the name or slug). */
  confirmText: string;
  action: (input: I) => Promise<HandlerResult<unknown>>;
  /** The action's input, given what the user typed. */
  input: (typed: string) => I;
  success: string;
  redirectTo: string;
  className?: string;
}) {
  const router = useRouter();
  const mutation = useAction(action, {
    success,
    refresh: false,
    onSuccess: () => {
      router.push(redirectTo);
      router.refresh();
    },
  });
  const label = `Delete ${noun}`;
  return (
    <Card className={cn("border-destructive/40", className)}>
      <CardHeader>
        <CardTitle className="text-destructive">{label}</CardTitle>
        <CardDescription>{consequences}</CardDescription>
      </CardHeader>
      <CardFooter className="justify-end">
        <ConfirmDialog trigger={<Button variant="destructive">{label}</Button>} title={dialogTitle} description={dialogDescription} confirmText={confirmText} confirmLabel={label} pending={mutation.isPending} onConfirm={(typed) => attempt(mutation.mutateAsync, input(typed))} />
      </CardFooter>
    </Card>
  );
}
