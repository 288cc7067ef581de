"use client";

import { useRouter } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { changePasswordSchema, profileSchema } from "@/lib/schemas";
import { useFormAction } from "@/lib/use-form-action";
import { changePassword, updateProfile } from "@/server/actions/account";

export function ProfileForm({ name }: { name: string }) {
  const form = useFormAction(profileSchema, updateProfile, { success: "Profile saved" });
  return (
    <ActionForm
      className="flex items-end gap-3"
      onSubmit={(data) => {
        form.submit({ name: data.get("name") });
      }}
    >
      <Field label="Name" htmlFor="profile-name" error={form.fields.name} className="flex-1">
        <Input id="profile-name" name="name" defaultValue={name} />
      </Field>
      <Button type="submit" variant="outline" disabled={form.pending}>
        Save
      </Button>
    </ActionForm>
  );
}

export function ChangePasswordForm() {
  const router = useRouter();
  const form = useFormAction(changePasswordSchema, changePassword, {
    refresh: false,
    onSuccess: () => {
      router.replace("/login?reason=password");
      router.refresh();
    },
    errorField: (e) => (e.code === "invalid_input" && /current password/.test(e.message) ? "currentPassword" : undefined),
  });
  return (
    <ActionForm
      className="grid max-w-sm gap-4"
      onSubmit={(data) => {
        form.submit({ currentPassword: data.get("currentPassword"), newPassword: data.get("newPassword") });
      }}
    >
      <Field label="Current password" htmlFor="currentPassword" error={form.fields.currentPassword}>
        <Input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" />
      </Field>
      <Field label="New password" htmlFor="newPassword" error={form.fields.newPassword} hint="At least 10 characters.">
        <Input id="newPassword" name="newPassword" type="password" autoComplete="new-password" />
      </Field>
      <Button type="submit" className="w-fit" disabled={form.pending}>
        {form.pending ? "Changing…" : "Change password"}
      </Button>
    </ActionForm>
  );
}
