"use client";

import { AuthForm, useAuthFormAction } from "@/components/auth/auth-form";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { signupSchema } from "@/lib/schemas";
import { signup } from "@/server/actions/auth";

export function SignupForm({ inviteToken, email }: { inviteToken?: string; email?: string }) {
  const form = useAuthFormAction(signupSchema, signup, inviteToken ? `/invite/${encodeURIComponent(inviteToken)}` : "/");
  return (
    <AuthForm
      error={form.error}
      onSubmit={(data) => {
        form.submit(
          { name: data.get("name"), email: data.get("email"), password: data.get("password"), ...(inviteToken ? { inviteToken } : {}) },
          data.get("password") !== data.get("confirm") ? { confirm: "the passwords do not match" } : {},
        );
      }}
    >
      <Field label="Name" htmlFor="name" error={form.fields.name}>
        <Input id="name" name="name" autoComplete="name" autoFocus aria-invalid={!!form.fields.name} />
      </Field>
      <Field label="Email" htmlFor="email" error={form.fields.email}>
        <Input id="email" name="email" type="email" autoComplete="email" defaultValue={email} readOnly={!!email} aria-invalid={!!form.fields.email} />
      </Field>
      <Field label="Password" htmlFor="password" error={form.fields.password} hint="At least 10 characters.">
        <Input id="password" name="password" type="password" autoComplete="new-password" aria-invalid={!!form.fields.password} />
      </Field>
      <Field label="Confirm password" htmlFor="confirm" error={form.fields.confirm}>
        <Input id="confirm" name="confirm" type="password" autoComplete="new-password" aria-invalid={!!form.fields.confirm} />
      </Field>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Creating account…" : "Create account"}
      </Button>
    </AuthForm>
  );
}
