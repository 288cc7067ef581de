import type { NavigationTeam } from "@switchyard/db";

/** What the shell needs about the signed-in user (serialisable from the server layout). */
export interface ShellUser {
  id: string;
  name: string;
  email: string;
  isAdmin: boolean;
}

export type ShellTeam = NavigationTeam;
