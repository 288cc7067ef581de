"use client";

import { useState } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/**
 * A destructive action behind a confirmation. With `confirmText`, the user types it first
 * (GitHub-style) — for deletions that take data with them.
 */
export interface ConfirmDialogProps {
  trigger: React.ReactNode;
  title: string;
  description: React.ReactNode;
  confirmLabel?: string;
  confirmText?: string;
  pending?: boolean;
  /** Resolves true when done (the dialog closes), false to keep it open (the error was shown). */
  onConfirm: (typed: string) => Promise<boolean>;
}

export function ConfirmDialog({ trigger, title, description, confirmLabel = "Delete", confirmText, pending, onConfirm }: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const ready = !confirmText || typed === confirmText;
  return (
    <AlertDialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setTyped("");
      }}
    >
      <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription asChild>
            <div>{description}</div>
          </AlertDialogDescription>
        </AlertDialogHeader>
        {confirmText ? (
          <div className="grid gap-1.5">
            <label htmlFor="confirm-text" className="text-sm">
              Type <span className="font-mono font-semibold">{confirmText}</span> to confirm
            </label>
            <Input id="confirm-text" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          </div>
        ) : null}
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <Button
            variant="destructive"
            disabled={!ready || pending}
            onClick={async () => {
              if (await onConfirm(typed)) {
                setOpen(false);
                setTyped("");
              }
            }}
          >
            {pending ? "Working…" : confirmLabel}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
