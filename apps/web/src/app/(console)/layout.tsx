import { listNavigationForUser, listPendingInvitationsForEmail } from "@switchyard/db";
import { AppShell } from "@/components/shell/app-shell";
import { getDeps } from "@/server/deps";
import { requireUser } from "@/server/pages";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const { db } = await getDeps();
  const [teams, invitations] = await Promise.all([listNavigationForUser(db, user.id), listPendingInvitationsForEmail(db, user.email)]);
  return (
    <AppShell user={user} teams={teams} pendingInvitations={invitations.length}>
      {children}
    </AppShell>
  );
}
