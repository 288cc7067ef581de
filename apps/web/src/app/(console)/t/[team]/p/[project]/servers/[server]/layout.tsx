import { logQueryTerm } from "@switchyard/shared";
import { ServerHeader } from "@/components/servers/server-header";
import { ServerTabs } from "@/components/servers/server-tabs";
import { paths } from "@/lib/paths";
import { loadServer } from "@/server/pages";

type Params = Promise<{ team: string; project: string; server: string }>;

export default async function ServerLayout({ children, params }: { children: React.ReactNode; params: Params }) {
  const p = await params;
  const { team, project, server, role } = await loadServer(p.team, p.project, p.server);
  const base = paths.server(team.slug, project.slug, server.name);
  return (
    <>
      <ServerHeader
        projectId={project.id}
        role={role}
        server={{ id: server.id, name: server.name, transport: server.transport, enabled: server.enabled, status: server.status, statusCheckedAt: server.statusCheckedAt?.toISOString() ?? null }}
      />
      <ServerTabs base={base} logs={paths.logs(team.slug, project.slug, logQueryTerm("server", server.name))} />
      <div className="mt-6">{children}</div>
    </>
  );
}
