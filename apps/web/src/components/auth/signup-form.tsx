"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/field";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fieldErrorsOf, useAction } from "@/lib/action-client";
import { signupSchema } from "@/lib/schemas";
import { validate } from "@/lib/validate";
import { signup } from "@/server/actions/auth";

export function SignupForm({ inviteToken, email }: { inviteToken?: string; email?: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const mutation = useAction(signup, {
    refresh: false,
    onSuccess: () => {
      router.replace(inviteToken ? `/invite/${encodeURIComponent(inviteToken)}` : "/");
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
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const result = validate(signupSchema, {
          name: data.get("name"),
          email: data.get("email"),
          password: data.get("password"),
          ...(inviteToken ? { inviteToken } : {}),
        });
        setFormError(null);
        if (!result.ok) return setErrors(result.fields);
        if (data.get("password") !== data.get("confirm")) return setErrors({ confirm: "the passwords do not match" });
        setErrors({});
        mutation.mutate(result.data);
      }}
    >
      {formError ? (
        <Alert variant="destructive">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      ) : null}
      <Field label="Name" htmlFor="name" error={fields.name}>
        <Input id="name" name="name" autoComplete="name" autoFocus aria-invalid={!!fields.name} />
      </Field>
      <Field label="Email" htmlFor="email" error={fields.email}>
        <Input id="email" name="email" type="email" autoComplete="email" defaultValue={email} readOnly={!!email} aria-invalid={!!fields.email} />
      </Field>
      <Field label="Password" htmlFor="password" error={fields.password} hint="At least 10 characters.">
        <Input id="password" name="password" type="password" autoComplete="new-password" aria-invalid={!!fields.password} />
      </Field>
      <Field label="Confirm password" htmlFor="confirm" error={fields.confirm}>
        <Input id="confirm" name="confirm" type="password" autoComplete="new-password" aria-invalid={!!fields.confirm} />
      </Field>
      <Button type="submit" disabled={mutation.isPending}>
        {mutation.isPending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
