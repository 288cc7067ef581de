/**
 * The one path every server action and route handler takes (dub's `withWorkspace`): session →
 * zod input → membership and role in the team or project → service call → errors mapped to a
 * code and HTTP status. It is free of Next request APIs so tests can run it with any session.
 */
import { requireProjectRole, requireTeamRole } from "@switchyard/core/tenancy";
import type { Actor } from "@switchyard/core/context";
import type { Project, TeamWithRole } from "@switchyard/db";
import { AppError, ERROR_STATUS, isAppError, notFound, type ErrorCode, type TeamRole } from "@switchyard/shared";
import { z } from "zod";
import { fieldErrors } from "@/lib/validate";
import { getDeps, type WebDeps } from "./deps";
import { errorFields, log } from "./log";
import type { SessionUser } from "./session";

export type Scope = "public" | "user" | "admin" | "team" | "project";

export interface PublicCtx {
  deps: WebDeps;
  user: SessionUser | null;
}
export interface UserCtx {
  deps: WebDeps;
  user: SessionUser;
  actor: Actor;
}
export interface TeamCtx extends UserCtx {
  team: TeamWithRole;
}
export interface ProjectCtx extends UserCtx {
  project: Project & { role: TeamRole };
}

interface CtxByScope {
  public: PublicCtx;
  user: UserCtx;
  admin: UserCtx;
  team: TeamCtx;
  project: ProjectCtx;
}
/** What a definition's input must carry per scope (enforced by the `action.*` and `route.*` builders). */
export type InputOf<Sc extends Scope> = Sc extends "team" ? { teamId: string } : Sc extends "project" ? { projectId: string } : unknown;

export interface HandlerDef<Sc extends Scope = Scope, S extends z.ZodType = z.ZodType, R = unknown> {
  /** Stable name, used by logs and the cross-tenant suite. */
  name: string;
  scope: Sc;
  /** Minimum team role for the team and project scopes (default reporter). */
  role?: TeamRole;
  input: S;
  handler: (ctx: CtxByScope[Sc], input: z.output<S>) => Promise<R>;
}

export interface HandlerError {
  code: ErrorCode;
  message: string;
  status: number;
  /** First message per invalid field, keyed by its dotted path. */
  fields?: Record<string, string>;
  details?: Record<string, unknown>;
}

export type HandlerResult<R> = { ok: true; data: R } | { ok: false; error: HandlerError };

function toHandlerError(e: unknown, name: string): HandlerError {
  if (e instanceof z.ZodError) {
    const fields = fieldErrors(e);
    return { code: "invalid_input", status: 400, message: Object.values(fields)[0] ?? "invalid input", fields };
  }
  if (isAppError(e)) {
    // Details are only ever validation feedback (e.g. per-entry import errors), safe to return.
    const details = e.code === "invalid_input" && e.details ? { details: e.details } : {};
    return { code: e.code, status: e.status, message: e.message, ...details };
  }
  log("error", "unhandled error", { handler: name, ...errorFields(e) });
  return { code: "internal", status: ERROR_STATUS.internal, message: "Something went wrong on our side. It has been logged." };
}

/** True for Next's redirect / notFound control-flow throws, which must pass through untouched. */
function isNextControlFlow(e: unknown): boolean {
  const digest = (e as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_") || digest === "DYNAMIC_SERVER_USAGE");
}

const uuidSchema = z.uuid();

/** The tenant id from validated input; a malformed one is a not-found like any other. */
function tenantId(input: unknown, key: "teamId" | "projectId"): string {
  const value = (input as Record<string, unknown> | null)?.[key];
  if (!uuidSchema.safeParse(value).success) throw notFound(key === "teamId" ? "team" : "project");
  return value as string;
}

async function buildCtx(def: HandlerDef, deps: WebDeps, user: SessionUser | null, input: unknown): Promise<unknown> {
  if (def.scope === "public") return { deps, user };
  if (!user) throw new AppError("unauthorized", "Sign in to continue");
  const base: UserCtx = { deps, user, actor: { kind: "user", userId: user.id, isAdmin: user.isAdmin } };
  switch (def.scope) {
    case "user":
      return base;
    case "admin":
      // Non-admins learn nothing about the admin surface: same answer as a missing thing.
      if (!user.isAdmin) throw notFound("page");
      return base;
    case "team":
      return { ...base, team: await requireTeamRole(deps.db, user.id, tenantId(input, "teamId"), def.role) };
    case "project":
      return { ...base, project: await requireProjectRole(deps.db, user.id, tenantId(input, "projectId"), def.role) };
  }
}

/** Runs a definition for `user` with untrusted `raw` input. Never throws (except Next control flow). */
export async function runHandler<Sc extends Scope, S extends z.ZodType, R>(
  def: HandlerDef<Sc, S, R>,
  user: SessionUser | null,
  raw: unknown,
): Promise<HandlerResult<R>> {
  try {
    const deps = await getDeps();
    if (def.scope !== "public" && !user) throw new AppError("unauthorized", "Sign in to continue");
    const input = def.input.parse(raw);
    const ctx = (await buildCtx(def as unknown as HandlerDef, deps, user, input)) as CtxByScope[Sc];
    return { ok: true, data: await def.handler(ctx, input) };
  } catch (e) {
    if (isNextControlFlow(e)) throw e;
    return { ok: false, error: toHandlerError(e, def.name) };
  }
}
