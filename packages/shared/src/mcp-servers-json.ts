/**
 * Parses the `mcpServers` JSON used by Claude Desktop, Cursor, Cline and Windsurf (and VS Code's
 * `servers`) into server configs, normalizing names to the server-name rule. Pure: no I/O.
 */
import { z } from "zod";
import { normalizeServerName } from "./names";
import { serverConfigSchema, type ServerConfig } from "./server-config";

const entrySchema = z
  .object({
    command: z.string().optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    url: z.string().optional(),
    serverUrl: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    type: z.string().optional(),
    transport: z.string().optional(),
    disabled: z.boolean().optional(),
  })
  .loose();

export interface ImportedServer {
  /** Key as written in the file. */
  originalName: string;
  /** Normalized server name. */
  name: string;
  config?: ServerConfig;
  errors: string[];
}

function remoteTransport(type: string | undefined, url: string): "sse" | "streamable_http" {
  const t = type?.toLowerCase().replace(/[-_]/g, "");
  if (t === "sse") return "sse";
  if (t === "http" || t === "streamablehttp") return "streamable_http";
  return /\/sse\/?(\?.*)?$/i.test(url) ? "sse" : "streamable_http";
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
}

/** Throws `Error` with a readable message when the text is not JSON or has no server map. */
export function parseMcpServersJson(text: string): ImportedServer[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new Error("expected a JSON object with an mcpServers map");
  const record = doc as Record<string, unknown>;
  const map = record.mcpServers ?? record.servers;
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    throw new Error('expected an "mcpServers" (or "servers") object mapping names to server definitions');
  }
  const seen = new Set<string>();
  return Object.entries(map as Record<string, unknown>).map(([originalName, raw]) => {
    const name = normalizeServerName(originalName);
    const result: ImportedServer = { originalName, name, errors: [] };
    if (!name) result.errors.push(`"${originalName}" has no letters or digits to make a server name from`);
    else if (seen.has(name)) result.errors.push(`"${originalName}" normalizes to "${name}", which another entry already uses`);
    seen.add(name);
    const entry = entrySchema.safeParse(raw);
    if (!entry.success) {
      result.errors.push(...formatIssues(entry.error));
      return result;
    }
    const e = entry.data;
    const url = e.url ?? e.serverUrl;
    let candidate: unknown;
    if (e.command && url) result.errors.push("give either command (stdio) or url (remote), not both");
    else if (e.command) {
      candidate = { name, transport: "stdio", command: e.command, args: e.args ?? [], env: e.env ?? {}, cwd: e.cwd, enabled: e.disabled !== true };
    } else if (url) {
      candidate = { name, transport: remoteTransport(e.type ?? e.transport, url), url, headers: e.headers ?? {}, enabled: e.disabled !== true };
    } else result.errors.push("needs a command (stdio) or a url (SSE / Streamable HTTP)");
    if (candidate && result.errors.length === 0) {
      const parsed = serverConfigSchema.safeParse(candidate);
      if (parsed.success) result.config = parsed.data;
      else result.errors.push(...formatIssues(parsed.error));
    }
    return result;
  });
}
