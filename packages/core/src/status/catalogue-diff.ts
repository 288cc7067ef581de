/**
 * Merges a fresh `tools/list` into a server's cached catalogue. Pure: decides what to insert,
 * update and mark gone, and which changes deserve a server event; `record-probe.ts` applies it.
 */
import type { ServerTool, ServerToolDefinition } from "@switchyard/db";
import type { NewToolPolicy } from "@switchyard/shared";
import { jsonEqual } from "./json-equal";

export type DefinitionField = "title" | "description" | "inputSchema" | "outputSchema" | "annotations";
/** Changes worth an event: what a model sees when it picks and calls the tool. */
const EVENT_FIELDS: readonly DefinitionField[] = ["description", "inputSchema", "outputSchema"];
const ALL_FIELDS: readonly DefinitionField[] = ["title", "description", "inputSchema", "outputSchema", "annotations"];

export interface CatalogueDiff {
  inserts: (ServerToolDefinition & { enabled: boolean; pendingApproval: boolean })[];
  /** Listed tools already known: their definition is refreshed, `enabled` untouched. */
  updates: { id: string; definition: Omit<ServerToolDefinition, "name">; changed: DefinitionField[]; reappeared: boolean; before: ServerTool }[];
  /** Ids of known tools missing from a complete list. */
  gone: ServerTool[];
}

function differs(field: DefinitionField, before: ServerTool, after: ServerToolDefinition): boolean {
  return !jsonEqual(before[field] ?? null, after[field] ?? null);
}

export function diffCatalogue(existing: readonly ServerTool[], listed: readonly ServerToolDefinition[], complete: boolean, policy: NewToolPolicy): CatalogueDiff {
  const byName = new Map(existing.map((t) => [t.name, t]));
  const seen = new Set<string>();
  const diff: CatalogueDiff = { inserts: [], updates: [], gone: [] };
  for (const tool of listed) {
    if (seen.has(tool.name)) continue; // a server listing a name twice: the first wins, as in the gateway
    seen.add(tool.name);
    const before = byName.get(tool.name);
    if (!before) {
      diff.inserts.push({ ...tool, enabled: policy === "enabled", pendingApproval: policy === "held" });
      continue;
    }
    const { name: _name, ...definition } = tool;
    diff.updates.push({
      id: before.id,
      definition,
      changed: ALL_FIELDS.filter((f) => differs(f, before, tool)),
      reappeared: before.goneAt !== null,
      before,
    });
  }
  if (complete) diff.gone = existing.filter((t) => t.goneAt === null && !seen.has(t.name));
  return diff;
}

/** The fields of an update that are worth a `tool_changed` event. */
export function eventWorthyChanges(changed: readonly DefinitionField[]): DefinitionField[] {
  return changed.filter((f) => EVENT_FIELDS.includes(f));
}
