import { roleAtLeast } from "@switchyard/shared";
import { maskServerConfig, openServerConfig } from "@switchyard/core/servers";
import { listRecentServerCalls } from "@switchyard/db";
import type { Metadata } from "next";
import { ConnectionSnippets } from "@/components/overview/connection-snippets";
import { RecentCalls } from "@/components/servers/recent-calls";
import { ServerConfigSummary } from "@/components/servers/server-config-summary";
import { TimeAgo } from "@/components/time-ago";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDuration } from "@/lib/format";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { loadServer } from "@/server/pages";

export const metadata: Metadata = { title: "Server" };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 py-2 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="col-span-2 min-w-0 break-words">{children}</dd>
    </div>
  );
}

export default async function ServerOverview({ params }: { params: Promise<{ team: string; project: string; server: string }> }) {
  const p = await params;
  const { team, project, server, role } = await loadServer(p.team, p.project, p.server);
  const { db, keyring, config } = await getDeps();
  const canSeeSecrets = roleAtLeast(role, "developer");
  const masked = maskServerConfig(openServerConfig(keyring, server), canSeeSecrets);
  const calls = await listRecentServerCalls(db, project.id, server.id, { limit: 10, withPayloads: canSeeSecrets });
  const info = server.serverInfo;
  return (
    <div className="grid gap-6">
      {server.statusError && server.status !== "online" ? (
        <Alert variant="destructive">
          <AlertTitle>Last check failed</AlertTitle>
          <AlertDescription className="font-mono text-xs">{server.statusError}</AlertDescription>
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Status</CardTitle>
            <CardDescription>From the worker&apos;s last check; nothing here contacts the server.</CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="divide-y">
              <Row label="Last checked">
                <TimeAgo date={server.statusCheckedAt?.toISOString()} fallback="never" />
              </Row>
              <Row label="Latency">{formatDuration(server.statusLatencyMs)}</Row>
              <Row label="Tools">{server.toolsCount ?? "—"}</Row>
              <Row label="Reports as">{info ? `${info.name} ${info.version}` : "—"}</Row>
              <Row label="Protocol">{info?.protocolVersion ?? "—"}</Row>
              <Row label="Capabilities">{info ? Object.keys(info.capabilities).join(", ") || "none" : "—"}</Row>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Configuration</CardTitle>
            <CardDescription>{canSeeSecrets ? "Secret values are stored encrypted." : "Secret values are hidden for reporters."}</CardDescription>
          </CardHeader>
          <CardContent>
            <ServerConfigSummary config={masked} timeoutMs={server.timeoutMs} isolation={server.isolation} />
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Connect to this server only</CardTitle>
          <CardDescription>Its tools keep their own names here (no server prefix).</CardDescription>
        </CardHeader>
        <CardContent>
          <ConnectionSnippets
            gatewayUrl={config.publicGatewayUrl}
            projectId={project.id}
            projectSlug={project.slug}
            servers={[server.name]}
            fixedServer={server.name}
            keysHref={paths.projectSection(team.slug, project.slug, "keys")}
          />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Recent calls</CardTitle>
          <CardDescription>The last 10 calls in the past 7 days.{canSeeSecrets ? "" : " Payloads are hidden for reporters."}</CardDescription>
        </CardHeader>
        <CardContent>
          <RecentCalls
            showPayloads={canSeeSecrets}
            calls={calls.map((c) => ({
              id: c.id,
              tool: c.toolName,
              status: c.status,
              error: c.errorMessage,
              durationMs: c.durationMs,
              at: c.startedAt.toISOString(),
              client: c.userId ? "console (try-it)" : c.clientType,
              ...(canSeeSecrets ? { input: c.input ?? null, output: c.output ?? null } : {}),
            }))}
          />
        </CardContent>
      </Card>
    </div>
  );
}
