/** Helpers for the apps' zod env modules: one boolean syntax and one error format naming every bad variable. */
import { z } from "zod";

/** `true/false`, `1/0`, `yes/no`, `on/off`. */
export const envBoolean = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

/** Parses `source` (empty strings count as unset); throws an Error listing every bad variable by name. */
export function parseEnvironment<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/**
 * Secrets may be given as `NAME_FILE=/path` instead of `NAME=value` (Docker and Kubernetes secrets),
 * so they need not sit in the process environment. Returns `source` with each such file's trimmed
 * content under `NAME` (an explicit `NAME` wins) and the files read, which stdio sandboxes hide.
 */
export function withFileVariants(
  source: Record<string, string | undefined>,
  names: readonly string[],
  readFile: (path: string) => string,
): { source: Record<string, string | undefined>; files: string[] } {
  const out = { ...source };
  const files: string[] = [];
  for (const name of names) {
    const path = source[`${name}_FILE`];
    if (!path) continue;
    files.push(path);
    if (out[name]) continue;
    try {
      out[name] = readFile(path).trim();
    } catch (e) {
      throw new Error(`invalid configuration:\n  ${name}_FILE: cannot read ${path} (${(e as Error).message})`);
    }
  }
  return { source: out, files };
}

/**
 * `TRUST_PROXY`: `false`/`0` (default: the socket's peer), a hop count (`1` = one proxy in front;
 * `true` means 1), or a comma-separated list of proxy addresses and CIDRs (proxy-addr's names
 * `loopback`, `linklocal`, `uniquelocal` too). The caller is the right-most untrusted hop.
 */
export const trustProxySchema = z
  .string()
  .trim()
  .transform((v, ctx): number | string[] => {
    const lower = v.toLowerCase();
    if (["false", "0", "no", "off"].includes(lower)) return 0;
    if (["true", "yes", "on"].includes(lower)) return 1;
    if (/^\d+$/.test(v)) return Number(v);
    const list = v.split(",").map((e) => e.trim()).filter(Boolean);
    const bad = list.filter((e) => !/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(e));
    if (bad.length || list.length === 0) {
      ctx.addIssue({ code: "custom", message: `expected false, a hop count or a list of addresses/CIDRs (bad: ${bad.join(", ") || "empty"})` });
      return z.NEVER;
    }
    return list;
  });
