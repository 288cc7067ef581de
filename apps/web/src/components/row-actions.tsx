"use client";

import { MoreHorizontalIcon } from "lucide-react";
import { ConfirmDialog, type ConfirmDialogProps } from "@/components/confirm-dialog";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { attempt } from "@/lib/action-client";

/** A mutation of useAction, as a confirmation runs it. */
interface Mutation<I> {
  isPending: boolean;
  mutateAsync: (input: I) => Promise<unknown>;
}

type ConfirmActionProps<I> = Omit<ConfirmDialogProps, "pending" | "onConfirm"> & { action: Mutation<I>; input: I };

/** A console table row's destructive action: runs `action` with `input` once confirmed. */
export function ConfirmAction<I>({ action, input, ...dialog }: ConfirmActionProps<I>) {
  return <ConfirmDialog {...dialog} pending={action.isPending} onConfirm={() => attempt(action.mutateAsync, input)} />;
}

/** A destructive item of a RowActionsMenu that asks first (the menu stays open under the dialog). */
export function ConfirmMenuItem<I>({ icon, label, ...confirm }: Omit<ConfirmActionProps<I>, "trigger"> & { icon: React.ReactNode; label: string }) {
  return (
    <ConfirmAction
      {...confirm}
      trigger={
        <DropdownMenuItem variant="destructive" onSelect={(e) => e.preventDefault()}>
          {icon}
          {label}
        </DropdownMenuItem>
      }
    />
  );
}

/** The "…" menu at the end of a console table row, labelled for the row's `name`. */
export function RowActionsMenu({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${name}`}>
          <MoreHorizontalIcon />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">{children}</DropdownMenuContent>
    </DropdownMenu>
  );
}
