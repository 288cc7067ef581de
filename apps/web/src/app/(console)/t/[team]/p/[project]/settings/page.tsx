import { roleAtLeast } from "@switchyard/shared";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { DeleteProjectCard, ProjectSettingsForm } from "@/components/projects/project-settings";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { paths } from "@/lib/paths";
import { loadProject } from "@/server/pages";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<{ team: string; project: string }> }) {
  const p = await params;
  const { team, project, role } = await loadProject(p.team, p.project);
  const isAdmin = roleAtLeast(role, "admin");
  return (
    <div className="max-w-3xl">
      <PageHeader title="Project settings" description="How the gateway names tools, handles new tools and keeps call logs for this project." />
      {!isAdmin ? (
        <Alert variant="info" className="mb-6">
          <AlertDescription>Only admins and owners can change project settings. You are a {role}.</AlertDescription>
        </Alert>
      ) : null}
      <ProjectSettingsForm
        disabled={!isAdmin}
        settings={{
          projectId: project.id,
          name: project.name,
          description: project.description,
          logPayloadPolicy: project.logPayloadPolicy,
          redactionRules: project.redactionRules,
          retentionDays: project.retentionDays,
          toolSeparator: project.toolSeparator,
          newToolPolicy: project.newToolPolicy,
        }}
      />
      {isAdmin ? <DeleteProjectCard projectId={project.id} name={project.name} teamHref={paths.team(team.slug)} /> : null}
    </div>
  );
}
