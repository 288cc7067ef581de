/**
 * The MCP server one downstream session talks to: a low-level SDK `Server` (one per session —
 * a second connect() throws) declaring what its endpoint really serves (endpoint-features.ts):
 * tools/list from the catalogue, tools/call to the call handler, and, when a server of the
 * endpoint offers them, prompts, resources, completion and logging, forwarded to their server.
 * ping is answered by the SDK.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { Protocol } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  RootsListChangedNotificationSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type ListToolsResult,
  type ServerCapabilities,
} from "@modelcontextprotocol/sdk/types.js";
import type { FeatureRequests } from "../features/feature-requests";
import type { ProjectStates } from "../projects/project-state";
import type { Session } from "./session";
import type { ToolCalls } from "../tools/tool-calls";
import type { ToolCatalogue } from "../tools/tool-catalogue";

export interface ProxyServerDeps {
  states: ProjectStates;
  catalogue: ToolCatalogue;
  calls: ToolCalls;
  requests: FeatureRequests;
  version: string;
}

/**
 * One validator for every session's Server, built on first use. The SDK builds an Ajv instance per
 * Server by default (about a third of an idle session's heap); the proxy never asks the SDK to
 * validate anything with it (it relays elicitation as a plain request, not `elicitInput`).
 */
let ajv: AjvJsonSchemaValidator | undefined;
const sharedValidator: jsonSchemaValidator = { getValidator: (schema) => (ajv ??= new AjvJsonSchemaValidator()).getValidator(schema) };

export function createProxyServer(session: Session, deps: ProxyServerDeps, capabilities: ServerCapabilities): Server {
  const server = new Server(
    { name: "switchyard", version: deps.version },
    {
      capabilities,
      jsonSchemaValidator: sharedValidator,
      instructions:
        session.endpoint.serverName === null ? "Tools of every enabled server of this Switchyard project, named {server}{separator}{tool}." : undefined,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async (): Promise<ListToolsResult> => {
    const state = await deps.states.forRequest(session.endpoint.projectId);
    if (!state) return { tools: [] };
    const { tools } = await deps.catalogue.list(state, session.endpoint, session.id);
    session.touch();
    return { tools };
  });
  // Registered through Protocol's own setRequestHandler: Server's override re-parses the request
  // and re-validates the result (defaulting fields), and results must pass through unchanged.
  const setUnwrappedHandler = Protocol.prototype.setRequestHandler.bind(server) as Server["setRequestHandler"];
  setUnwrappedHandler(CallToolRequestSchema, (request, extra) =>
    deps.calls.handle(session, request, {
      signal: extra.signal,
      requestId: extra.requestId,
      relatedRequestId: extra.requestId,
      sendProgress: (params) => extra.sendNotification({ method: "notifications/progress", params }),
    }),
  );
  const { requests } = deps;
  if (capabilities.prompts) {
    setUnwrappedHandler(ListPromptsRequestSchema, (r) => requests.list(session, "prompts", r.params?.cursor));
    setUnwrappedHandler(GetPromptRequestSchema, (r, extra) => requests.getPrompt(session, r.params, extra));
  }
  if (capabilities.resources) {
    setUnwrappedHandler(ListResourcesRequestSchema, (r) => requests.list(session, "resources", r.params?.cursor));
    setUnwrappedHandler(ListResourceTemplatesRequestSchema, (r) => requests.list(session, "resourceTemplates", r.params?.cursor));
    setUnwrappedHandler(ReadResourceRequestSchema, (r, extra) => requests.readResource(session, r.params, extra));
    if (capabilities.resources.subscribe) {
      setUnwrappedHandler(SubscribeRequestSchema, (r, extra) => requests.subscribe(session, r.params.uri, true, extra));
      setUnwrappedHandler(UnsubscribeRequestSchema, (r, extra) => requests.subscribe(session, r.params.uri, false, extra));
    }
  }
  if (capabilities.completions) setUnwrappedHandler(CompleteRequestSchema, (r, extra) => requests.complete(session, r.params, extra));
  if (capabilities.logging) setUnwrappedHandler(SetLevelRequestSchema, (r, extra) => requests.setLevel(session, r.params.level, extra));
  server.setNotificationHandler(RootsListChangedNotificationSchema, () => requests.rootsChanged(session));
  return server;
}
