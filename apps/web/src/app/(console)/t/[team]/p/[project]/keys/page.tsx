import { roleAtLeast } from "@switchyard/shared";
import { listApiKeysWithCreator, listServers } from "@switchyard/db";
import type { Metadata } from "next";
import { CreateApiKeyDialog } from "@/components/keys/create-api-key-dialog";
import { KeysTable } from "@/components/keys/keys-table";
import { PageHeader } from "@/components/page-header";
import { getDeps } from "@/server/deps";
import { loadProject } from "@/server/pages";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage({ params }: { params: Promise<{ team: string; project: string }> }) {
  const p = await params;
  const { project, role, user } = await loadProject(p.team, p.project);
  const { db, config } = await getDeps();
  const [keys, servers] = await Promise.all([listApiKeysWithCreator(db, project.id), listServers(db, project.id)]);
  return (
    <>
      <PageHeader
        title="API keys"
        description="Clients authenticate to this project's gateway endpoints with a key. Keys are shown once and stored hashed."
        actions={roleAtLeast(role, "developer") ? <CreateApiKeyDialog projectId={project.id} projectSlug={project.slug} gatewayUrl={config.publicGatewayUrl} servers={servers.map((s) => s.name)} /> : null}
      />
      <KeysTable
        projectId={project.id}
        role={role}
        userId={user.id}
        keys={keys.map((k) => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          createdBy: k.creator?.email ?? null,
          createdById: k.createdBy,
          createdAt: k.createdAt.toISOString(),
          lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
          lastUsedIp: roleAtLeast(role, "developer") ? k.lastUsedIp : null,
          expiresAt: k.expiresAt?.toISOString() ?? null,
          revokedAt: k.revokedAt?.toISOString() ?? null,
          rateLimitPerMinute: k.rateLimitPerMinute,
        }))}
      />
    </>
  );
}
