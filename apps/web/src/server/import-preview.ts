/** The import preview's view of one `mcpServers` entry: what would be created, never secret values. */
import type { ImportedServer } from "@switchyard/shared";

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

export function describeImportEntry(entry: ImportedServer, errors: string[]): ImportPreviewEntry {
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
