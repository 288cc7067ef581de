"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/field";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fieldErrorsOf, useAction } from "@/lib/action-client";
import { loginSchema } from "@/lib/schemas";
import { validate } from "@/lib/validate";
import { login } from "@/server/actions/auth";

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const mutation = useAction(login, {
    refresh: false,
    onSuccess: () => {
      router.replace(next);
      router.refresh();
    },
    onError: (e) => {
      setFormError(e.fields ? null : e.message);
      return true;
    },
  });
  const fields = { ...errors, ...fieldErrorsOf(mutation.error) };
  return (
    <form
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const result = validate(loginSchema, { email: data.get("email"), password: data.get("password") });
        setFormError(null);
        if (!result.ok) return setErrors(result.fields);
        setErrors({});
        mutation.mutate(result.data);
      }}
      noValidate
    >
      {formError ? (
        <Alert variant="destructive">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      ) : null}
      <Field label="Email" htmlFor="email" error={fields.email}>
        <Input id="email" name="email" type="email" autoComplete="email" autoFocus aria-invalid={!!fields.email} />
      </Field>
      <Field label="Password" htmlFor="password" error={fields.password}>
        <Input id="password" name="password" type="password" autoComplete="current-password" aria-invalid={!!fields.password} />
      </Field>
      <Button type="submit" disabled={mutation.isPending}>
        {mutation.isPending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
