"use client";

import { useRouter } from "next/navigation";
import { Field } from "@/components/field";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { loginSchema } from "@/lib/schemas";
import { useFormAction } from "@/lib/use-form-action";
import { login } from "@/server/actions/auth";

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const form = useFormAction(loginSchema, login, {
    refresh: false,
    onSuccess: () => {
      router.replace(next);
      router.refresh();
    },
    inlineError: true,
  });
  return (
    <form
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        form.submit({ email: data.get("email"), password: data.get("password") });
      }}
      noValidate
    >
      {form.error ? (
        <Alert variant="destructive">
          <AlertDescription>{form.error}</AlertDescription>
        </Alert>
      ) : null}
      <Field label="Email" htmlFor="email" error={form.fields.email}>
        <Input id="email" name="email" type="email" autoComplete="email" autoFocus aria-invalid={!!form.fields.email} />
      </Field>
      <Field label="Password" htmlFor="password" error={form.fields.password}>
        <Input id="password" name="password" type="password" autoComplete="current-password" aria-invalid={!!form.fields.password} />
      </Field>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
