import { listPendingInvitationsForEmail } from "@switchyard/db";
import { MailIcon } from "lucide-react";
import type { Metadata } from "next";
import { PendingInvitations } from "@/components/invitations/pending-invitations";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/states";
import { getDeps } from "@/server/deps";
import { requireUser } from "@/server/pages";

export const metadata: Metadata = { title: "Invitations" };

export default async function InvitationsPage() {
  const user = await requireUser();
  const { db } = await getDeps();
  const invitations = await listPendingInvitationsForEmail(db, user.email);
  return (
    <>
      <PageHeader title="Invitations" description={`Open invitations for ${user.email}. You join a team only when you accept.`} />
      {invitations.length === 0 ? (
        <EmptyState icon={MailIcon} title="No open invitations" description="When a team admin invites this email address, the invitation appears here." />
      ) : (
        <PendingInvitations
          invitations={invitations.map((i) => ({
            id: i.id,
            teamName: i.team.name,
            teamSlug: i.team.slug,
            role: i.role,
            invitedBy: i.inviter?.email ?? null,
            expiresAt: i.expiresAt.toISOString(),
          }))}
        />
      )}
    </>
  );
}
