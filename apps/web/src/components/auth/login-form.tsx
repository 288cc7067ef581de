"use client";

import { AuthForm, useAuthFormAction } from "@/components/auth/auth-form";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { loginSchema } from "@/lib/schemas";
import { login } from "@/server/actions/auth";

export function LoginForm({ next }: { next: string }) {
  const form = useAuthFormAction(loginSchema, login, next);
  return (
    <AuthForm
      error={form.error}
      onSubmit={(data) => {
        form.submit({ email: data.get("email"), password: data.get("password") });
      }}
    >
      <Field label="Email" htmlFor="email" error={form.fields.email}>
        <Input id="email" name="email" type="email" autoComplete="email" autoFocus aria-invalid={!!form.fields.email} />
      </Field>
      <Field label="Password" htmlFor="password" error={form.fields.password}>
        <Input id="password" name="password" type="password" autoComplete="current-password" aria-invalid={!!form.fields.password} />
      </Field>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Signing in…" : "Sign in"}
      </Button>
    </AuthForm>
  );
}
