"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fieldErrorsOf, useAction } from "@/lib/action-client";
import { changePasswordSchema, profileSchema } from "@/lib/schemas";
import { validate } from "@/lib/validate";
import { changePassword, updateProfile } from "@/server/actions/account";

export function ProfileForm({ name }: { name: string }) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const mutation = useAction(updateProfile, { success: "Profile saved" });
  const fields = { ...errors, ...fieldErrorsOf(mutation.error) };
  return (
    <form
      className="flex items-end gap-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const result = validate(profileSchema, { name: new FormData(e.currentTarget).get("name") });
        if (!result.ok) return setErrors(result.fields);
        setErrors({});
        mutation.mutate(result.data);
      }}
    >
      <Field label="Name" htmlFor="profile-name" error={fields.name} className="flex-1">
        <Input id="profile-name" name="name" defaultValue={name} />
      </Field>
      <Button type="submit" variant="outline" disabled={mutation.isPending}>
        Save
      </Button>
    </form>
  );
}

export function ChangePasswordForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const mutation = useAction(changePassword, {
    refresh: false,
    onSuccess: () => {
      router.replace("/login?reason=password");
      router.refresh();
    },
    onError: (e) => {
      if (e.code === "invalid_input" && /current password/.test(e.message)) {
        setErrors({ currentPassword: e.message });
        return true;
      }
      return false;
    },
  });
  const fields = { ...errors, ...fieldErrorsOf(mutation.error) };
  return (
    <form
      className="grid max-w-sm gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const result = validate(changePasswordSchema, { currentPassword: data.get("currentPassword"), newPassword: data.get("newPassword") });
        if (!result.ok) return setErrors(result.fields);
        setErrors({});
        mutation.mutate(result.data);
      }}
    >
      <Field label="Current password" htmlFor="currentPassword" error={fields.currentPassword}>
        <Input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" />
      </Field>
      <Field label="New password" htmlFor="newPassword" error={fields.newPassword} hint="At least 10 characters.">
        <Input id="newPassword" name="newPassword" type="password" autoComplete="new-password" />
      </Field>
      <Button type="submit" className="w-fit" disabled={mutation.isPending}>
        {mutation.isPending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
