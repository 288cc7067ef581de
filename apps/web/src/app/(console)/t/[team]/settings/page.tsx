import { roleAtLeast } from "@switchyard/shared";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { DeleteTeamCard, TeamSettingsForm } from "@/components/teams/team-settings";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { loadTeam } from "@/server/pages";

export const metadata: Metadata = { title: "Team settings" };

export default async function TeamSettingsPage({ params }: { params: Promise<{ team: string }> }) {
  const { team } = await loadTeam((await params).team);
  const isAdmin = roleAtLeast(team.role, "admin");
  return (
    <div className="max-w-2xl">
      <PageHeader title="Team settings" description="The team's name and URL." />
      {!isAdmin ? (
        <Alert variant="info" className="mb-6">
          <AlertDescription>Only admins and owners can change team settings. You are a {team.role}.</AlertDescription>
        </Alert>
      ) : null}
      <TeamSettingsForm teamId={team.id} name={team.name} slug={team.slug} disabled={!isAdmin} />
      {roleAtLeast(team.role, "owner") ? <DeleteTeamCard teamId={team.id} slug={team.slug} /> : null}
    </div>
  );
}
