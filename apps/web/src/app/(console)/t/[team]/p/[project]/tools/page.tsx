import { listProjectTools } from "@switchyard/db";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ToolsList } from "@/components/tools/tools-list";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { loadProject } from "@/server/pages";
import { toToolView } from "@/server/tool-view";

export const metadata: Metadata = { title: "Tools" };

export default async function ProjectToolsPage({ params }: { params: Promise<{ team: string; project: string }> }) {
  const p = await params;
  const { team, project, role } = await loadProject(p.team, p.project);
  const { db } = await getDeps();
  const tools = (await listProjectTools(db, project.id)).map(toToolView);
  const serverHrefs = Object.fromEntries([...new Set(tools.map((t) => t.serverName))].map((n) => [n, paths.serverSection(team.slug, project.slug, n, "tools")]));
  return (
    <>
      <PageHeader
        title="Tools"
        description={`Every tool of this project's servers. On the project endpoint they are named server${project.toolSeparator}tool; disabled and held tools are hidden from clients and refused.`}
      />
      <ToolsList tools={tools} projectId={project.id} role={role} showServer serverHrefs={serverHrefs} emptyHint="Tools appear after the worker checks your servers. Add a server, or refresh the servers you have." />
    </>
  );
}
