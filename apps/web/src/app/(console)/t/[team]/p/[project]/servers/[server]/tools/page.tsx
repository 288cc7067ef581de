import { listProjectTools } from "@switchyard/db";
import type { Metadata } from "next";
import { ToolsList } from "@/components/tools/tools-list";
import { getDeps } from "@/server/deps";
import { loadServer } from "@/server/pages";
import { toToolView } from "@/server/tool-view";

export const metadata: Metadata = { title: "Server tools" };

export default async function ServerToolsPage({ params }: { params: Promise<{ team: string; project: string; server: string }> }) {
  const p = await params;
  const { project, server, role } = await loadServer(p.team, p.project, p.server);
  const { db } = await getDeps();
  const tools = (await listProjectTools(db, project.id)).filter((t) => t.serverId === server.id).map(toToolView);
  return (
    <ToolsList
      tools={tools}
      projectId={project.id}
      role={role}
      showServer={false}
      emptyHint={server.statusCheckedAt ? "The last check found no tools on this server." : "The tool catalogue fills in after the first successful status check. Refresh the server to check now."}
    />
  );
}
