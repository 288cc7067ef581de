"use client";

import { useRouter } from "next/navigation";
import { DeleteCard } from "@/components/delete-card";
import { Field } from "@/components/field";
import { SettingsCard } from "@/components/settings-card";
import { Input } from "@/components/ui/input";
import { paths } from "@/lib/paths";
import { updateTeamSchema } from "@/lib/schemas";
import { useFormAction } from "@/lib/use-form-action";
import { deleteTeam, updateTeam } from "@/server/actions/teams";

export function TeamSettingsForm({ teamId, name, slug, disabled }: { teamId: string; name: string; slug: string; disabled: boolean }) {
  const router = useRouter();
  const form = useFormAction(updateTeamSchema, updateTeam, {
    success: "Team settings saved",
    refresh: false,
    onSuccess: (r) => {
      router.replace(paths.teamSettings(r.slug));
      router.refresh();
    },
  });
  return (
    <SettingsCard title="General" disabled={disabled} pending={form.pending} saveLabel="Save" className="gap-4" onSubmit={(data) => form.submit({ teamId, name: data.get("name"), slug: data.get("slug") })}>
      <Field label="Name" htmlFor="team-name" error={form.fields.name}>
        <Input id="team-name" name="name" defaultValue={name} disabled={disabled} />
      </Field>
      <Field label="URL slug" htmlFor="team-slug" error={form.fields.slug} hint="Used in console URLs and by the CLI's --team.">
        <Input id="team-slug" name="slug" defaultValue={slug} disabled={disabled} className="font-mono" />
      </Field>
    </SettingsCard>
  );
}

export function DeleteTeamCard({ teamId, slug }: { teamId: string; slug: string }) {
  return (
    <DeleteCard
      className="mt-6"
      noun="team"
      consequences="Deletes every project, server, API key and log of this team. This cannot be undone."
      dialogTitle="Delete this team?"
      dialogDescription="All projects, servers and keys go with it; IDE clients using its keys stop working at once."
      confirmText={slug}
      action={deleteTeam}
      input={(typed) => ({ teamId, confirmSlug: typed })}
      success="Team deleted"
      redirectTo="/"
    />
  );
}
