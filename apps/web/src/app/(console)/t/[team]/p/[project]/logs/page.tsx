import { roleAtLeast } from "@switchyard/shared";
import { listSavedViews } from "@switchyard/db";
import type { Metadata } from "next";
import { Suspense } from "react";
import { Explorer } from "@/components/explorer/explorer";
import { PageHeader } from "@/components/page-header";
import { PageSkeleton } from "@/components/states";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { loadProject } from "@/server/pages";

export const metadata: Metadata = { title: "Logs" };

export default async function ProjectLogsPage({ params }: { params: Promise<{ team: string; project: string }> }) {
  const p = await params;
  const { team, project, role } = await loadProject(p.team, p.project);
  const views = await listSavedViews((await getDeps()).db, project.id);
  return (
    <>
      <PageHeader title="Logs" description="Every call through the gateway: search, slice by facets, follow a session, export." />
      <Suspense fallback={<PageSkeleton />}>
        <Explorer
          teamId={team.id}
          projectId={project.id}
          sessionPath={paths.projectSection(team.slug, project.slug, "sessions")}
          views={views.map((v) => ({ id: v.id, name: v.name, state: v.state }))}
          canSaveViews={roleAtLeast(role, "developer")}
        />
      </Suspense>
    </>
  );
}
