/**
 * Importing an `mcpServers` JSON document: every entry checked (parse errors, the instance's server
 * policy, name clashes in the project) the same way for the preview and for the import itself.
 */
import { getServerByName } from "@switchyard/db";
import { AppError, parseMcpServersJson, type ImportedServer } from "@switchyard/shared";
import type { Actor, ServiceDeps } from "../context";
import { assertServerAllowed } from "../servers/server-policy";

/** The entries of the document; a document that is not an `mcpServers` map is invalid input. */
export function parseImport(jsonText: string): ImportedServer[] {
  try {
    return parseMcpServersJson(jsonText);
  } catch (e) {
    throw new AppError("invalid_input", (e as Error).message);
  }
}

/** Everything that keeps this entry from being imported into the project. */
export async function importEntryProblems(deps: Pick<ServiceDeps, "db" | "policy">, actor: Actor, projectId: string, entry: ImportedServer): Promise<string[]> {
  const problems = [...entry.errors];
  if (!entry.config) return problems;
  try {
    assertServerAllowed(deps.policy, actor, entry.config);
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (await getServerByName(deps.db, projectId, entry.name)) problems.push(`this project already has a server named "${entry.name}"`);
  return problems;
}

/** The import preview's view of one entry: what would be created, never secret values. */
export interface ImportPreviewEntry {
  originalName: string;
  name: string;
  transport: "stdio" | "sse" | "streamable_http" | null;
  /** Command line (stdio) or URL origin + path (remote), for the user to recognise the entry. */
  target: string | null;
  envKeys: string[];
  headerKeys: string[];
  enabled: boolean;
  errors: string[];
}

function describeImportEntry(entry: ImportedServer, errors: string[]): ImportPreviewEntry {
  const c = entry.config;
  let target: string | null = null;
  if (c?.transport === "stdio") target = [c.command, ...c.args].join(" ");
  else if (c) {
    const u = new URL(c.url);
    target = `${u.protocol}//${u.host}${u.pathname}`;
  }
  return {
    originalName: entry.originalName,
    name: entry.name,
    transport: c?.transport ?? null,
    target,
    envKeys: c?.transport === "stdio" ? Object.keys(c.env) : [],
    headerKeys: c && c.transport !== "stdio" ? Object.keys(c.headers) : [],
    enabled: c?.enabled ?? true,
    errors,
  };
}

export interface ImportPreview {
  entries: ImportPreviewEntry[];
  /** Set when the document itself could not be read; `entries` is then empty. */
  error?: string;
}

/** What an import would create, entry by entry, with every problem; nothing is written. */
export async function previewServerImport(deps: Pick<ServiceDeps, "db" | "policy">, actor: Actor, projectId: string, jsonText: string): Promise<ImportPreview> {
  let parsed: ImportedServer[];
  try {
    parsed = parseImport(jsonText);
  } catch (e) {
    return { entries: [], error: (e as Error).message };
  }
  const entries: ImportPreviewEntry[] = [];
  for (const entry of parsed) entries.push(describeImportEntry(entry, await importEntryProblems(deps, actor, projectId, entry)));
  return { entries };
}
