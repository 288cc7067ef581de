/**
 * Every server action and route handler of the console, found on disk: each `src/server/actions/*.ts`
 * export and each `src/app/api/**\/route.ts` HTTP method. They must all carry the wrapper's `.def`,
 * so a new one is enumerated (and must be covered) by the suites that use this.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { HandlerDef } from "@/server/handler";

const SRC = join(import.meta.dirname, "..", "..", "src");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/** Route files that are not console routes: next-auth's own endpoints read only the caller's cookie. */
export const UNWRAPPED_ROUTES: Record<string, string> = {
  "app/api/auth/[...nextauth]/route.ts": "next-auth's session/CSRF/sign-out endpoints; no tenant data",
};

export interface Registered {
  kind: "action" | "route";
  file: string;
  exportName: string;
  def: HandlerDef;
  /** Route path params, from the directory names (`[projectId]`). */
  params: string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function defOf(value: unknown): HandlerDef | undefined {
  const def = (value as { def?: HandlerDef } | null)?.def;
  return typeof value === "function" && def && typeof def.name === "string" ? def : undefined;
}

export async function loadRegistered(): Promise<{ handlers: Registered[]; unwrapped: string[] }> {
  const handlers: Registered[] = [];
  const unwrapped: string[] = [];
  const actionFiles = walk(join(SRC, "server", "actions")).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  for (const file of actionFiles) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(mod)) {
      const def = defOf(value);
      if (def) handlers.push({ kind: "action", file: relative(SRC, file), exportName, def, params: [] });
      else unwrapped.push(`${relative(SRC, file)}#${exportName}`);
    }
  }
  const routeFiles = walk(join(SRC, "app")).filter((f) => f.endsWith("/route.ts"));
  for (const file of routeFiles) {
    const rel = relative(SRC, file);
    if (UNWRAPPED_ROUTES[rel]) continue;
    const mod = (await import(file)) as Record<string, unknown>;
    const params = [...rel.matchAll(/\[([A-Za-z]+)\]/g)].map((m) => m[1] ?? "");
    for (const method of HTTP_METHODS) {
      if (!(method in mod)) continue;
      const def = defOf(mod[method]);
      if (def) handlers.push({ kind: "route", file: rel, exportName: method, def, params });
      else unwrapped.push(`${rel}#${method}`);
    }
  }
  return { handlers, unwrapped };
}
