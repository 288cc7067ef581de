/**
 * Writes one probe result: the server's cached status, its tool catalogue and the server events
 * for what changed — in one transaction under a row lock, so concurrent refreshes of the same
 * server serialise and a result probed against an older configuration is dropped.
 */
import {
  getProjectById,
  getServerFeatures,
  getServerForUpdate,
  insertServerEvents,
  insertServerTools,
  listServerTools,
  markServerToolsGone,
  updateServerStatus,
  updateServerToolDefinition,
  upsertServerFeatures,
  type Executor,
  type Database,
  type FeatureLists,
  type McpServer,
  type NewServerEvent,
} from "@switchyard/db";
import type { EventLevel, ServerStatus } from "@switchyard/shared";
import type { Classification, ProbeResult } from "./probe-result";
import { jsonEqual } from "./json-equal";
import { diffCatalogue, eventWorthyChanges, type CatalogueDiff } from "./catalogue-diff";

const STATUS_LEVEL: Record<ServerStatus, EventLevel> = { unknown: "info", installing: "info", online: "info", degraded: "warn", offline: "error", error: "error" };
/** Names listed in one event message before it says "and N more". */
const NAMES_IN_MESSAGE = 10;

/**
 * `catalogue_changed`: recorded, and the server's tools were added, changed or gone, or its prompts,
 * resources or templates are not what they were (gateways reload them and tell their sessions).
 */
export type RecordOutcome = "recorded" | "catalogue_changed" | "server_gone" | "config_changed";

function nameList(names: string[]): string {
  const shown = names.slice(0, NAMES_IN_MESSAGE).join(", ");
  return names.length > NAMES_IN_MESSAGE ? `${shown} and ${names.length - NAMES_IN_MESSAGE} more` : shown;
}

function catalogueEvents(diff: CatalogueDiff, hadCatalogue: boolean, at: Date): NewServerEvent[] {
  const events: NewServerEvent[] = [];
  const added = [...diff.inserts.map((t) => t.name), ...diff.updates.filter((u) => u.reappeared).map((u) => u.before.name)];
  // The first catalogue of a server is not news; later arrivals are.
  if (hadCatalogue && added.length > 0) {
    events.push({ level: "info", category: "tool_changed", message: `Tools added: ${nameList(added)}`, details: { added }, at });
  }
  if (diff.gone.length > 0) {
    const removed = diff.gone.map((t) => t.name);
    events.push({ level: "warn", category: "tool_changed", message: `Tools no longer listed: ${nameList(removed)}`, details: { removed }, at });
  }
  for (const u of diff.updates) {
    const fields = eventWorthyChanges(u.changed);
    if (fields.length === 0) continue;
    const before = Object.fromEntries(fields.map((f) => [f, u.before[f]]));
    const after = Object.fromEntries(fields.map((f) => [f, u.definition[f]]));
    events.push({
      level: "warn",
      category: "tool_changed",
      message: `Tool ${u.before.name} changed its ${fields.map((f) => (f === "description" ? "description" : f === "inputSchema" ? "input schema" : "output schema")).join(" and ")}`,
      details: { tool: u.before.name, fields, before, after },
      at,
    });
  }
  return events;
}

export async function recordProbe(db: Database, probed: McpServer, result: ProbeResult, verdict: Classification, at: Date): Promise<RecordOutcome> {
  return db.transaction(async (tx) => {
    const current = await getServerForUpdate(tx, probed.projectId, probed.id);
    if (!current) return "server_gone";
    if (current.updatedAt.getTime() !== probed.updatedAt.getTime()) return "config_changed";
    const events: NewServerEvent[] = [];
    let toolsCount: number | undefined;
    let catalogueChanged = false;
    if (result.ok) {
      const project = await getProjectById(tx, probed.projectId);
      const existing = await listServerTools(tx, probed.projectId, probed.id);
      const diff = diffCatalogue(existing, result.tools, result.complete, project?.newToolPolicy ?? "enabled");
      await insertServerTools(tx, probed.projectId, probed.id, diff.inserts.map((t) => ({ ...t, seenAt: at })));
      for (const u of diff.updates) await updateServerToolDefinition(tx, probed.projectId, u.id, u.definition, at);
      await markServerToolsGone(tx, probed.projectId, probed.id, diff.gone.map((t) => t.id), at);
      events.push(...catalogueEvents(diff, existing.length > 0, at));
      toolsCount = diff.inserts.length + diff.updates.length;
      catalogueChanged = diff.inserts.length > 0 || diff.gone.length > 0 || diff.updates.some((u) => u.reappeared || u.changed.length > 0);
      if (result.features && (await recordFeatures(tx, probed, result.features, at))) catalogueChanged = true;
    }
    if (current.status !== verdict.status) {
      events.push({
        level: STATUS_LEVEL[verdict.status],
        category: "status_check",
        message: `Status ${current.status} → ${verdict.status}${verdict.error ? `: ${verdict.error}` : ""}`,
        details: { from: current.status, to: verdict.status, latencyMs: result.latencyMs, ...(verdict.error ? { error: verdict.error } : {}) },
        at,
      });
    }
    await updateServerStatus(tx, probed.projectId, probed.id, {
      status: verdict.status,
      statusCheckedAt: at,
      statusError: verdict.error,
      statusLatencyMs: result.latencyMs,
      ...(toolsCount !== undefined ? { toolsCount } : {}),
      ...(result.serverInfo ? { serverInfo: result.serverInfo } : {}),
    });
    await insertServerEvents(tx, probed.projectId, probed.id, events);
    return catalogueChanged ? "catalogue_changed" : "recorded";
  });
}

/** Replaces the server's prompts, resources and templates when they changed; true when sessions should hear of it. */
async function recordFeatures(tx: Executor, probed: McpServer, features: FeatureLists, at: Date): Promise<boolean> {
  const before = await getServerFeatures(tx, probed.projectId, probed.id);
  if (before && jsonEqual(before.prompts, features.prompts) && jsonEqual(before.resources, features.resources) && jsonEqual(before.resourceTemplates, features.resourceTemplates)) return false;
  await upsertServerFeatures(tx, probed.projectId, probed.id, features, at);
  // A first listing with nothing in it is not news.
  return before !== undefined || [features.prompts, features.resources, features.resourceTemplates].some((pages) => pages.some((page) => page.length > 0));
}

/**
 * Shows the server as `installing` while its first start on this machine downloads its package
 * (the connect then waits the install timeout, not the connect timeout); the probe's result
 * replaces it. The checked time is left alone: nothing has been checked yet.
 */
export async function recordInstalling(db: Database, probed: McpServer, at: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await getServerForUpdate(tx, probed.projectId, probed.id);
    if (!current || current.updatedAt.getTime() !== probed.updatedAt.getTime()) return;
    const message = "Installing: the first start of this command on this machine downloads its package";
    await updateServerStatus(tx, probed.projectId, probed.id, { status: "installing", statusError: message, statusLatencyMs: null });
    await insertServerEvents(tx, probed.projectId, probed.id, [{ level: "info", category: "startup", message, at }]);
  });
}
