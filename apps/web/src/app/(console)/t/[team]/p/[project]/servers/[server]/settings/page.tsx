import { roleAtLeast } from "@switchyard/shared";
import { maskServerConfig, openServerConfig } from "@switchyard/core/servers";
import type { Metadata } from "next";
import { ServerConfigSummary } from "@/components/servers/server-config-summary";
import { DeleteServerCard, EditServer } from "@/components/servers/edit-server";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { loadServer } from "@/server/pages";

export const metadata: Metadata = { title: "Server settings" };

export default async function ServerSettingsPage({ params }: { params: Promise<{ team: string; project: string; server: string }> }) {
  const p = await params;
  const { team, project, server, role } = await loadServer(p.team, p.project, p.server);
  const { keyring } = await getDeps();
  const config = openServerConfig(keyring, server);
  const serversHref = paths.projectSection(team.slug, project.slug, "servers");
  if (!roleAtLeast(role, "developer")) {
    // Reporters get the masked view only; decrypted values never leave the server for them.
    return (
      <div className="grid max-w-3xl gap-4">
        <Alert variant="info">
          <AlertDescription>You are a reporter in this team: secret values are hidden and settings are read-only.</AlertDescription>
        </Alert>
        <Card>
          <CardHeader>
            <CardTitle>Configuration</CardTitle>
          </CardHeader>
          <CardContent>
            <ServerConfigSummary config={maskServerConfig(config, false)} timeoutMs={server.timeoutMs} isolation={server.isolation} />
          </CardContent>
        </Card>
      </div>
    );
  }
  return (
    <div className="grid max-w-3xl gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Configuration</CardTitle>
        </CardHeader>
        <CardContent>
          <EditServer projectId={project.id} serverId={server.id} config={config} serversHref={serversHref} />
        </CardContent>
      </Card>
      <DeleteServerCard projectId={project.id} serverId={server.id} name={server.name} serversHref={serversHref} />
    </div>
  );
}
