/**
 * A tiny real MCP server over stdio for the worker's tests, built on the SDK's low-level Server.
 * Run with `node --import tsx/esm fixture-server.ts [options]` (see FIXTURE_ARGS in world.ts):
 *   --tools-file F        tools/list answers with the JSON array in F, read at each call
 *   --prompts-file F      declares prompts; prompts/list answers with the JSON array in F, read at each call
 *   --delay-initialize MS answer nothing (initialize included) for MS milliseconds
 *   --delay-list MS       answer tools/list after MS milliseconds
 *   --fail-list           answer tools/list with a JSON-RPC error
 *   --exit                exit at once with status 3, before speaking
 *   --mode-file F         read at start: "exit" or "fail-list" act as the flags above, anything else is normal
 */
import { readFileSync } from "node:fs";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ListPromptsRequestSchema, ListToolsRequestSchema, McpError, type Prompt, type Tool } from "@modelcontextprotocol/sdk/types.js";

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const modeFile = opt("--mode-file");
const mode = modeFile ? readFileSync(modeFile, "utf8").trim() : "";
const flag = (name: string): boolean => args.includes(name) || mode === name.slice(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (flag("--exit")) {
  process.stderr.write("fixture: exiting on purpose\n");
  process.exit(3);
}

const promptsFile = opt("--prompts-file");
const server = new Server({ name: "fixture", version: "1.2.3" }, { capabilities: { tools: { listChanged: true }, ...(promptsFile ? { prompts: {} } : {}) } });
if (promptsFile) server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: JSON.parse(readFileSync(promptsFile, "utf8")) as Prompt[] }));
server.setRequestHandler(ListToolsRequestSchema, async () => {
  const delay = Number(opt("--delay-list") ?? 0);
  if (delay) await sleep(delay);
  if (flag("--fail-list")) throw new McpError(-32603, "fixture: tools/list is broken");
  const file = opt("--tools-file");
  const tools: Tool[] = file ? (JSON.parse(readFileSync(file, "utf8")) as Tool[]) : [{ name: "ping", description: "Answers pong", inputSchema: { type: "object" } }];
  return { tools };
});

const delayInit = Number(opt("--delay-initialize") ?? 0);
if (delayInit) await sleep(delayInit);
await server.connect(new StdioServerTransport());
