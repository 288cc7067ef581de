/**
 * Which IDE or tool a client session comes from, for the sessions page and log facets. The
 * `initialize` request's clientInfo.name is the most reliable signal; the User-Agent header is
 * the fallback (Cursor, for one, sends a bare `node` UA).
 */
import type { ClientType } from "./enums";

// Order matters: "cursor-vscode" must be Cursor, not VS Code.
const NAME_RULES: readonly (readonly [RegExp, ClientType])[] = [
  [/cursor/i, "cursor"],
  [/claude[-_ ]?code/i, "claude_code"],
  [/windsurf|codeium/i, "windsurf"],
  [/\bcline\b|roo[-_ ]?cline/i, "cline"],
  [/inspector/i, "inspector"],
  [/visual studio code|\bvs ?code\b/i, "vscode"],
];

const USER_AGENT_RULES: readonly (readonly [RegExp, ClientType])[] = [
  [/\bcursor\//i, "cursor"],
  [/claude-code\//i, "claude_code"],
  [/windsurf/i, "windsurf"],
  [/\bcline\b/i, "cline"],
  [/inspector/i, "inspector"],
  [/visual studio code\/|\bvscode\//i, "vscode"],
];

function match(value: string | null | undefined, rules: readonly (readonly [RegExp, ClientType])[]): ClientType | undefined {
  if (!value) return undefined;
  for (const [re, type] of rules) if (re.test(value)) return type;
  return undefined;
}

/** Client type from initialize clientInfo.name first, then the User-Agent header; `other` when neither says. */
export function detectClientType(clientName: string | null | undefined, userAgent?: string | null): ClientType {
  return match(clientName, NAME_RULES) ?? match(userAgent, USER_AGENT_RULES) ?? "other";
}
