"use client";

import { useRouter } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { paths } from "@/lib/paths";
import { createTeamSchema } from "@/lib/schemas";
import { useFormAction } from "@/lib/use-form-action";
import { createTeam } from "@/server/actions/teams";

export function CreateTeamForm() {
  const router = useRouter();
  const form = useFormAction(createTeamSchema, createTeam, {
    success: "Team created",
    refresh: false,
    onSuccess: (team) => {
      router.push(paths.team(team.slug));
      router.refresh();
    },
  });
  return (
    <ActionForm
      className="grid gap-4"
      onSubmit={(data) => {
        form.submit({ name: data.get("name") });
      }}
    >
      <Field label="Team name" htmlFor="team-name" error={form.fields.name} hint="You can rename it later.">
        <Input id="team-name" name="name" placeholder="Acme Platform" autoFocus aria-invalid={!!form.fields.name} />
      </Field>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Creating…" : "Create team"}
      </Button>
    </ActionForm>
  );
}
