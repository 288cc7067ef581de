/**
 * The MCP server one downstream session talks to: a low-level SDK `Server` (one per session —
 * a second connect() throws) declaring what its endpoint really serves (endpoint-features.ts):
 * tools/list from the catalogue, tools/call to the call handler, and, when a server of the
 * endpoint offers them, prompts, resources, completion and logging, forwarded to their server.
 * ping and initialize are answered by the SDK.
 *
 * An idle session costs what its Server holds, so the methods are one table shared by every
 * session (ROUTES), reached through the Server's fallback handler: one closure per session instead
 * of two per method (docs/BENCHMARKS.md, "Idle sessions").
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { AnyObjectSchema, SchemaOutput } from "@modelcontextprotocol/sdk/server/zod-compat.js";
import { getMethodLiteral, parseWithCompat } from "@modelcontextprotocol/sdk/server/zod-json-schema-compat.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
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
  ErrorCode,
  type JSONRPCRequest,
  type Notification,
  type Result,
  type ServerCapabilities,
  type ServerNotification,
  type ServerRequest,
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

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

interface Route {
  /** Whether the session's declared capabilities offer the method (else: Method not found). */
  offered: (caps: ServerCapabilities) => boolean;
  /** Parses the request as the SDK's own handlers do (a bad request is refused the same way) and answers it. */
  answer: (session: Session, deps: ProxyServerDeps, request: JSONRPCRequest, extra: Extra) => Promise<Result>;
}

function route<T extends AnyObjectSchema>(
  schema: T,
  offered: Route["offered"],
  handle: (session: Session, deps: ProxyServerDeps, request: SchemaOutput<T>, extra: Extra) => Promise<Result>,
): [string, Route] {
  return [getMethodLiteral(schema), { offered, answer: (session, deps, request, extra) => handle(session, deps, parseWithCompat(schema, request) as SchemaOutput<T>, extra) }];
}

const always = () => true;

// Results pass through unchanged: the SDK's Server re-parses a tools/call request and re-validates
// its result (defaulting fields) only for handlers registered through its setRequestHandler.
const ROUTES = new Map<string, Route>([
  route(ListToolsRequestSchema, always, async (session, deps) => {
    const state = await deps.states.forRequest(session.endpoint.projectId);
    if (!state) return { tools: [] };
    const { tools } = await deps.catalogue.list(state, session.endpoint, session.id);
    session.touch();
    return { tools };
  }),
  route(CallToolRequestSchema, always, (session, deps, request, extra) =>
    deps.calls.handle(session, request, {
      signal: extra.signal,
      requestId: extra.requestId,
      relatedRequestId: extra.requestId,
      sendProgress: (params) => extra.sendNotification({ method: "notifications/progress", params }),
    }),
  ),
  route(ListPromptsRequestSchema, (c) => !!c.prompts, (session, deps, r) => deps.requests.list(session, "prompts", r.params?.cursor)),
  route(GetPromptRequestSchema, (c) => !!c.prompts, (session, deps, r, extra) => deps.requests.getPrompt(session, r.params, extra)),
  route(ListResourcesRequestSchema, (c) => !!c.resources, (session, deps, r) => deps.requests.list(session, "resources", r.params?.cursor)),
  route(ListResourceTemplatesRequestSchema, (c) => !!c.resources, (session, deps, r) => deps.requests.list(session, "resourceTemplates", r.params?.cursor)),
  route(ReadResourceRequestSchema, (c) => !!c.resources, (session, deps, r, extra) => deps.requests.readResource(session, r.params, extra)),
  route(SubscribeRequestSchema, (c) => !!c.resources?.subscribe, (session, deps, r, extra) => deps.requests.subscribe(session, r.params.uri, true, extra)),
  route(UnsubscribeRequestSchema, (c) => !!c.resources?.subscribe, (session, deps, r, extra) => deps.requests.subscribe(session, r.params.uri, false, extra)),
  route(CompleteRequestSchema, (c) => !!c.completions, (session, deps, r, extra) => deps.requests.complete(session, r.params, extra)),
  route(SetLevelRequestSchema, (c) => !!c.logging, (session, deps, r, extra) => deps.requests.setLevel(session, r.params.level, extra)),
]);

const ROOTS_LIST_CHANGED = getMethodLiteral(RootsListChangedNotificationSchema);
const SET_LEVEL = getMethodLiteral(SetLevelRequestSchema);

/** As the SDK answers a method nobody handles. */
function methodNotFound(): Error {
  return Object.assign(new Error("Method not found"), { code: ErrorCode.MethodNotFound });
}

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
  // The SDK's own logging/setLevel handler (registered when logging is declared) would shadow ours.
  server.removeRequestHandler(SET_LEVEL);
  server.fallbackRequestHandler = (request, extra) => {
    const known = ROUTES.get(request.method);
    if (!known?.offered(capabilities)) return Promise.reject(methodNotFound());
    return known.answer(session, deps, request, extra);
  };
  server.fallbackNotificationHandler = async (notification: Notification) => {
    if (notification.method === ROOTS_LIST_CHANGED) await deps.requests.rootsChanged(session);
  };
  return server;
}
