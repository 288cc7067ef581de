/**
 * Server actions and route handlers are built only through these helpers, so each one runs
 * `runHandler` (session, input, role, error mapping). Each carries its definition as `.def` so
 * the cross-tenant suite can enumerate and call every one of them.
 */
import type { z } from "zod";
import { runHandler, type HandlerDef, type HandlerResult, type InputOf, type Scope } from "./handler";
import { getSessionUser, type SessionUser } from "./session";

export type ServerAction<I, R> = ((input: I) => Promise<HandlerResult<R>>) & { def: HandlerDef };

function actionFor<Sc extends Scope>(scope: Sc) {
  return <S extends z.ZodType<InputOf<Sc>>, R>(def: Omit<HandlerDef<Sc, S, R>, "scope">): ServerAction<z.input<S>, R> => {
    const full = { ...def, scope } as HandlerDef<Sc, S, R>;
    const fn = async (input: z.input<S>) => runHandler(full, await getSessionUser(), input);
    return Object.assign(fn, { def: full as unknown as HandlerDef });
  };
}

export const action = {
  /** No session needed (sign-in, sign-up). */
  public: actionFor("public"),
  /** Any signed-in user, about their own account or invitations. */
  user: actionFor("user"),
  /** Instance admins only; everyone else gets not-found. */
  admin: actionFor("admin"),
  /** Input carries `teamId`; the user needs `role` in that team. */
  team: actionFor("team"),
  /** Input carries `projectId`; the user needs `role` in the project's team. */
  project: actionFor("project"),
};

export type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = ((request: Request, context: RouteContext) => Promise<Response>) & { def: HandlerDef };

/** Query string (repeated keys become arrays), then the JSON body, then path params, which always win. */
async function routeInput(request: Request, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(request.url).searchParams) {
    const prev = query[key];
    query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  let body: Record<string, unknown> = {};
  if (request.method !== "GET" && request.method !== "HEAD") {
    const parsed: unknown = await request.json().catch(() => ({}));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  }
  return { ...query, ...body, ...params };
}

export function toResponse<R>(result: HandlerResult<R>): Response {
  const headers = { "cache-control": "no-store" };
  // A handler that streams (exports) builds its own Response after the wrapper's checks.
  if (result.ok && result.data instanceof Response) return result.data;
  if (result.ok) return Response.json(result.data, { headers });
  return Response.json({ error: result.error }, { status: result.error.status, headers });
}

/** The route core, with the session given: what tests call. */
export async function runRoute(def: HandlerDef, user: SessionUser | null, request: Request, params: Record<string, unknown>): Promise<Response> {
  return toResponse(await runHandler(def, user, await routeInput(request, params)));
}

function routeFor<Sc extends Scope>(scope: Sc) {
  return <S extends z.ZodType<InputOf<Sc>>, R>(def: Omit<HandlerDef<Sc, S, R>, "scope">): RouteHandler => {
    const full = { ...def, scope } as unknown as HandlerDef;
    const fn = async (request: Request, context: RouteContext) => runRoute(full, await getSessionUser(), request, await context.params);
    return Object.assign(fn, { def: full });
  };
}

export const route = {
  user: routeFor("user"),
  admin: routeFor("admin"),
  team: routeFor("team"),
  project: routeFor("project"),
};
