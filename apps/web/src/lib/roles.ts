import type { TeamRole } from "@switchyard/shared";

const RANK: Record<TeamRole, number> = { reporter: 0, developer: 1, admin: 2, owner: 3 };

/** UI-side mirror of core's roleAtLeast: hides controls the server would refuse anyway. */
export function can(role: TeamRole, min: TeamRole): boolean {
  return RANK[role] >= RANK[min];
}

export const ROLE_DESCRIPTIONS: Record<TeamRole, string> = {
  owner: "Everything, including deleting the team and managing owners",
  admin: "Members, all API keys and project settings",
  developer: "Servers, tools, their own API keys and try-it",
  reporter: "Read-only; no secrets or raw payloads",
};
