import { listInvitationsForUser } from "@switchyard/core/services";
import { listNavigationForUser } from "@switchyard/db";
import { AppShell } from "@/components/shell/app-shell";
import { getDeps } from "@/server/deps";
import { requireUser } from "@/server/pages";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const deps = await getDeps();
  const [teams, invitations] = await Promise.all([listNavigationForUser(deps.db, user.id), listInvitationsForUser(deps, user.id)]);
  return (
    <AppShell user={user} teams={teams} pendingInvitations={invitations.length}>
      {children}
    </AppShell>
  );
}
