import { roleAtLeast } from "@switchyard/shared";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { AddServer } from "@/components/servers/add-server";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { loadProject } from "@/server/pages";

export const metadata: Metadata = { title: "Add server" };

export default async function NewServerPage({ params }: { params: Promise<{ team: string; project: string }> }) {
  const p = await params;
  const { team, project, role } = await loadProject(p.team, p.project);
  if (!roleAtLeast(role, "developer")) notFound();
  const { config } = await getDeps();
  const stdio = config.policy.stdio;
  return (
    <div className="max-w-3xl">
      <PageHeader title="Add a server" description="The worker checks it right after it is saved." />
      {stdio !== "on" ? (
        <Alert variant="info" className="mb-4">
          <AlertDescription>
            {stdio === "off" ? "stdio servers are disabled on this instance (STDIO_SERVERS=off): register remote servers." : "stdio servers are limited to the instance's command allowlist and to instance admins."}
          </AlertDescription>
        </Alert>
      ) : null}
      <AddServer projectId={project.id} serversHref={paths.projectSection(team.slug, project.slug, "servers")} />
    </div>
  );
}
