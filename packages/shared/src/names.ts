/** Naming rules shared by the CLI, the console and the gateway. */
import { z } from "zod";

/** Server names never contain `_`, so the tool separator can never occur in one. */
export const SERVER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const SERVER_NAME_MAX = 48;

export const serverNameSchema = z
  .string()
  .min(1, "server name is required")
  .max(SERVER_NAME_MAX, `server name is at most ${SERVER_NAME_MAX} characters`)
  .regex(SERVER_NAME_PATTERN, "server name must match [a-z0-9][a-z0-9-]* (lower-case letters, digits, dashes)");

/** Turns any label (e.g. an `mcpServers` key such as "My_GitHub Server") into a valid server name. */
export function normalizeServerName(raw: string): string {
  const name = raw
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SERVER_NAME_MAX)
    .replace(/-+$/g, "");
  return name;
}

/** Slug for teams and projects: lower-case, dash separated, 1–48 chars. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export function slugify(raw: string): string {
  return normalizeServerName(raw).slice(0, 48).replace(/-+$/g, "");
}

export const slugSchema = z.string().regex(SLUG_PATTERN, "slug must be lower-case letters, digits and dashes");

/** The tool-name separator is limited to `[A-Za-z0-9_-]` and must contain `_` (never valid in a server name). */
export const toolSeparatorSchema = z
  .string()
  .min(1)
  .max(4)
  .regex(/^[A-Za-z0-9_-]+$/, "separator may only use letters, digits, _ and -")
  .refine((s) => s.includes("_"), "separator must contain _ so it can never occur in a server name");
