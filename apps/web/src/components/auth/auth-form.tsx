"use client";

import { useRouter } from "next/navigation";
import type { z } from "zod";
import { ActionForm } from "@/components/action-form";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { useFormAction } from "@/lib/use-form-action";
import type { HandlerResult } from "@/server/handler";

/** A sign-in or sign-up action: its error is shown in the form, and success moves on to `destination` with the new session. */
export function useAuthFormAction<S extends z.ZodType, R>(schema: S, action: (input: z.output<S>) => Promise<HandlerResult<R>>, destination: string) {
  const router = useRouter();
  return useFormAction(schema, action, {
    refresh: false,
    onSuccess: () => {
      router.replace(destination);
      router.refresh();
    },
    inlineError: true,
  });
}

/** The form of the sign-in and sign-up pages, with the action's last error above its fields. */
export function AuthForm({ error, onSubmit, children }: { error: string | null; onSubmit: (data: FormData) => void; children: React.ReactNode }) {
  return (
    <ActionForm className="grid gap-4" onSubmit={onSubmit}>
      {error ? (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      {children}
    </ActionForm>
  );
}
