import {
  deleteServer as deleteServerRow,
  getServerByName,
  getServerOrThrow,
  insertActivity,
  insertServer,
  updateServer as updateServerRow,
  type Executor,
  type McpServer,
} from "@switchyard/db";
import { AppError, serverConfigSchema, type ImportedServer, type ServerConfigInput } from "@switchyard/shared";
import { actorUserId, runHook, type Actor, type ServiceDeps } from "../context";
import { isUniqueViolation } from "../pg-errors";
import { assertServerAllowed } from "../servers/server-policy";
import { openServerConfig, sealServerConfig } from "../servers/server-record";
import { importEntryProblems, parseImport } from "./server-import";

type ProjectRef = { id: string; teamId: string };

function describe(server: McpServer): string {
  return `${server.name} (${server.transport === "stdio" ? `stdio: ${server.command ?? ""}` : server.transport})`;
}

async function insertChecked(tx: Executor, deps: ServiceDeps, actor: Actor, project: ProjectRef, raw: ServerConfigInput): Promise<McpServer> {
  const config = serverConfigSchema.parse(raw);
  assertServerAllowed(deps.policy, actor, config);
  if (await getServerByName(tx, project.id, config.name)) throw new AppError("conflict", `this project already has a server named "${config.name}"`);
  const server = await insertServer(tx, project.id, sealServerConfig(deps.keyring, config));
  await insertActivity(tx, {
    teamId: project.teamId,
    projectId: project.id,
    actorUserId: actorUserId(actor),
    type: "server.created",
    targetType: "server",
    targetId: server.id,
    summary: `Server ${describe(server)} added`,
  });
  return server;
}

function mapConflict(e: unknown): never {
  if (isUniqueViolation(e)) throw new AppError("conflict", "a server with that name already exists in this project");
  throw e;
}

export async function createServer(deps: ServiceDeps, actor: Actor, project: ProjectRef, raw: ServerConfigInput): Promise<McpServer> {
  const server = await deps.db.transaction((tx) => insertChecked(tx, deps, actor, project, raw)).catch(mapConflict);
  await runHook(deps.hooks?.serverChanged && (() => deps.hooks?.serverChanged?.(project.id, server.id)));
  return server;
}

export interface ImportResult {
  servers: McpServer[];
  entries: ImportedServer[];
}

/**
 * Imports a Claude Desktop / Cursor `mcpServers` document: all entries or none. Per-entry
 * problems are collected and reported together before anything is written.
 */
export async function importServers(deps: ServiceDeps, actor: Actor, project: ProjectRef, jsonText: string): Promise<ImportResult> {
  const entries = parseImport(jsonText);
  if (entries.length === 0) throw new AppError("invalid_input", "the mcpServers map is empty");
  const problems: string[] = [];
  for (const e of entries) for (const msg of await importEntryProblems(deps, actor, project.id, e)) problems.push(`${e.originalName}: ${msg}`);
  if (problems.length > 0) throw new AppError("invalid_input", `nothing was imported:\n  ${problems.join("\n  ")}`, { entries });
  const servers = await deps.db
    .transaction(async (tx) => {
      const created: McpServer[] = [];
      for (const e of entries) if (e.config) created.push(await insertChecked(tx, deps, actor, project, e.config));
      return created;
    })
    .catch(mapConflict);
  for (const s of servers) await runHook(deps.hooks?.serverChanged && (() => deps.hooks?.serverChanged?.(project.id, s.id)));
  return { servers, entries };
}

/** Replaces a server's configuration (secrets re-sealed with the current key). */
export async function updateServer(deps: ServiceDeps, actor: Actor, project: ProjectRef, serverId: string, raw: ServerConfigInput): Promise<McpServer> {
  const config = serverConfigSchema.parse(raw);
  assertServerAllowed(deps.policy, actor, config);
  const server = await deps.db
    .transaction(async (tx) => {
      const before = await getServerOrThrow(tx, project.id, serverId);
      const updated = await updateServerRow(tx, project.id, serverId, { ...sealServerConfig(deps.keyring, config), status: "unknown" });
      if (!updated) throw new AppError("not_found", "server not found");
      await insertActivity(tx, {
        teamId: project.teamId,
        projectId: project.id,
        actorUserId: actorUserId(actor),
        type: "server.updated",
        targetType: "server",
        targetId: serverId,
        summary: `Server ${describe(updated)} updated`,
        metadata: before.name !== updated.name ? { renamedFrom: before.name } : {},
      });
      return updated;
    })
    .catch(mapConflict);
  await runHook(deps.hooks?.serverChanged && (() => deps.hooks?.serverChanged?.(project.id, serverId)));
  return server;
}

export async function setServerEnabled(deps: ServiceDeps, actor: Actor, project: ProjectRef, serverId: string, enabled: boolean): Promise<McpServer> {
  const server = await deps.db.transaction(async (tx) => {
    await getServerOrThrow(tx, project.id, serverId);
    const updated = await updateServerRow(tx, project.id, serverId, { enabled });
    if (!updated) throw new AppError("not_found", "server not found");
    await insertActivity(tx, {
      teamId: project.teamId,
      projectId: project.id,
      actorUserId: actorUserId(actor),
      type: enabled ? "server.enabled" : "server.disabled",
      targetType: "server",
      targetId: serverId,
      summary: `Server ${updated.name} ${enabled ? "enabled" : "disabled"}`,
    });
    return updated;
  });
  await runHook(deps.hooks?.serverChanged && (() => deps.hooks?.serverChanged?.(project.id, serverId)));
  return server;
}

export async function deleteServer(deps: ServiceDeps, actor: Actor, project: ProjectRef, serverId: string): Promise<McpServer> {
  const server = await deps.db.transaction(async (tx) => {
    const deleted = await deleteServerRow(tx, project.id, serverId);
    if (!deleted) throw new AppError("not_found", "server not found");
    await insertActivity(tx, {
      teamId: project.teamId,
      projectId: project.id,
      actorUserId: actorUserId(actor),
      type: "server.deleted",
      targetType: "server",
      targetId: serverId,
      summary: `Server ${describe(deleted)} deleted`,
    });
    return deleted;
  });
  await runHook(deps.hooks?.projectChanged && (() => deps.hooks?.projectChanged?.(project.id)));
  return server;
}

/** Decrypted config of one server (gateway and worker use). */
export async function getServerConfig(deps: Pick<ServiceDeps, "db" | "keyring">, projectId: string, serverId: string) {
  const row = await getServerOrThrow(deps.db, projectId, serverId);
  return { row, config: openServerConfig(deps.keyring, row) };
}

