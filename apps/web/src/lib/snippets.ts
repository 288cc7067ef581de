/**
 * Client configuration snippets for the project and per-server gateway endpoints, in the exact
 * shapes each IDE client reads (see FIELD-NOTES "Client config snippets").
 */
export type SnippetClient = "cursor" | "vscode" | "cline" | "claude_code" | "windsurf";
export type SnippetTransport = "streamable_http" | "sse";

export const SNIPPET_CLIENTS: { id: SnippetClient; label: string; file: string }[] = [
  { id: "cursor", label: "Cursor", file: "~/.cursor/mcp.json" },
  { id: "vscode", label: "VS Code", file: ".vscode/mcp.json" },
  { id: "cline", label: "Cline", file: "cline_mcp_settings.json" },
  { id: "claude_code", label: "Claude Code", file: "terminal" },
  { id: "windsurf", label: "Windsurf", file: "~/.codeium/windsurf/mcp_config.json" },
];

export const KEY_PLACEHOLDER = "<YOUR_API_KEY>";

/** `…/projects/{id}/mcp` or `/sse`, optionally for one server (`…/servers/{name}/mcp`). */
export function endpointUrl(gatewayUrl: string, projectId: string, transport: SnippetTransport, serverName?: string): string {
  const base = `${gatewayUrl.replace(/\/$/, "")}/projects/${projectId}${serverName ? `/servers/${encodeURIComponent(serverName)}` : ""}`;
  return `${base}/${transport === "sse" ? "sse" : "mcp"}`;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function snippet(client: SnippetClient, opts: { name: string; url: string; transport: SnippetTransport; apiKey?: string }): string {
  const key = opts.apiKey ?? KEY_PLACEHOLDER;
  const headers = { Authorization: `Bearer ${key}` };
  const sse = opts.transport === "sse";
  switch (client) {
    case "cursor":
      return json({ mcpServers: { [opts.name]: { url: opts.url, headers } } });
    case "vscode":
      return json({ servers: { [opts.name]: { type: sse ? "sse" : "http", url: opts.url, headers } } });
    case "cline":
      return json({ mcpServers: { [opts.name]: { type: sse ? "sse" : "streamableHttp", url: opts.url, headers } } });
    case "claude_code":
      return `claude mcp add --transport ${sse ? "sse" : "http"} ${opts.name} ${opts.url} --header "Authorization: Bearer ${key}"`;
    case "windsurf":
      return json({ mcpServers: { [opts.name]: { serverUrl: opts.url, headers } } });
  }
}
