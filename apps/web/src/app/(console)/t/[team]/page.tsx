import { roleAtLeast } from "@switchyard/shared";
import { listProjectSummaries } from "@switchyard/db";
import { BoxesIcon, ServerIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { CreateProjectDialog } from "@/components/projects/create-project-dialog";
import { EmptyState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { loadTeam } from "@/server/pages";

export const metadata: Metadata = { title: "Projects" };

export default async function TeamHome({ params }: { params: Promise<{ team: string }> }) {
  const { team } = await loadTeam((await params).team);
  const { db } = await getDeps();
  const projects = await listProjectSummaries(db, team.id);
  const mayCreate = roleAtLeast(team.role, "admin");
  return (
    <>
      <PageHeader
        title="Projects"
        description={`Each project has its own gateway endpoint, servers and API keys.`}
        actions={mayCreate ? <CreateProjectDialog teamId={team.id} teamSlug={team.slug} /> : null}
      />
      {projects.length === 0 ? (
        <EmptyState
          icon={BoxesIcon}
          title="No projects yet"
          description={mayCreate ? "Create a project to register MCP servers and get a gateway URL for your IDE." : "An admin of this team can create the first project."}
          action={mayCreate ? <CreateProjectDialog teamId={team.id} teamSlug={team.slug} /> : null}
        />
      ) : (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {projects.map((p) => (
            <Link key={p.id} href={paths.project(team.slug, p.slug)} className="group" data-testid="project-card">
              <Card className="h-full transition-shadow group-hover:shadow-md">
                <CardHeader>
                  <CardTitle className="text-base">{p.name}</CardTitle>
                  <CardDescription className="line-clamp-2 min-h-10">{p.description || "No description"}</CardDescription>
                </CardHeader>
                <CardContent className="flex items-center gap-2 text-sm text-muted-foreground">
                  <ServerIcon className="size-4" />
                  {p.serverCount} {p.serverCount === 1 ? "server" : "servers"}
                  {p.onlineCount > 0 ? <Badge variant="success">{p.onlineCount} online</Badge> : null}
                  {p.problemCount > 0 ? <Badge variant="destructive">{p.problemCount} down</Badge> : null}
                </CardContent>
              </Card>
            </Link>
          ))}
        </div>
      )}
    </>
  );
}
