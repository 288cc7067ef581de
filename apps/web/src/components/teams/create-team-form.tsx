"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { fieldErrorsOf, useAction } from "@/lib/action-client";
import { paths } from "@/lib/paths";
import { createTeamSchema } from "@/lib/schemas";
import { validate } from "@/lib/validate";
import { createTeam } from "@/server/actions/teams";

export function CreateTeamForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const mutation = useAction(createTeam, {
    success: "Team created",
    refresh: false,
    onSuccess: (team) => {
      router.push(paths.team(team.slug));
      router.refresh();
    },
  });
  const fields = { ...errors, ...fieldErrorsOf(mutation.error) };
  return (
    <form
      className="grid gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const result = validate(createTeamSchema, { name: new FormData(e.currentTarget).get("name") });
        if (!result.ok) return setErrors(result.fields);
        setErrors({});
        mutation.mutate(result.data);
      }}
    >
      <Field label="Team name" htmlFor="team-name" error={fields.name} hint="You can rename it later.">
        <Input id="team-name" name="name" placeholder="Acme Platform" autoFocus aria-invalid={!!fields.name} />
      </Field>
      <Button type="submit" disabled={mutation.isPending}>
        {mutation.isPending ? "Creating…" : "Create team"}
      </Button>
    </form>
  );
}
