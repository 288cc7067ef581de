import type { TeamRole } from "@switchyard/shared";

/** What each role may do, as the console explains it next to role pickers (the ranking itself is `roleAtLeast` in @switchyard/shared). */
export const ROLE_DESCRIPTIONS: Record<TeamRole, string> = {
  owner: "Everything, including deleting the team and managing owners",
  admin: "Members, all API keys and project settings",
  developer: "Servers, tools, their own API keys and try-it",
  reporter: "Read-only; no secrets or raw payloads",
};
