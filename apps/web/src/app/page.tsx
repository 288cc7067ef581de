import { listInvitationsForUser } from "@switchyard/core/services";
import { listNavigationForUser } from "@switchyard/db";
import { redirect } from "next/navigation";
import { paths } from "@/lib/paths";
import { getDeps } from "@/server/deps";
import { requireUser } from "@/server/pages";

/** `/` sends a user to their first team, their invitations, or team creation. */
export default async function Home() {
  const user = await requireUser();
  const deps = await getDeps();
  const [teams, invitations] = await Promise.all([listNavigationForUser(deps.db, user.id), listInvitationsForUser(deps, user.id)]);
  const first = teams[0];
  if (first) redirect(paths.team(first.slug));
  redirect(invitations.length > 0 ? "/invitations" : "/teams/new");
}
