import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ServersTable } from "@/components/servers/servers-table";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { loadProject } from "@/server/pages";
import { listServerViews } from "@/server/server-list";

export const metadata: Metadata = { title: "Servers" };

/** Rendered from the cached status columns only: nothing here ever contacts an upstream. */
export default async function ServersPage({ params }: { params: Promise<{ team: string; project: string }> }) {
  const p = await params;
  const { team, project, role } = await loadProject(p.team, p.project);
  const list = await listServerViews(await getDeps(), project.id);
  return (
    <>
      <PageHeader title="Servers" description="Status comes from the worker's last check; refresh to check now." />
      <ServersTable projectId={project.id} base={paths.project(team.slug, project.slug)} role={role} initial={list} />
    </>
  );
}
