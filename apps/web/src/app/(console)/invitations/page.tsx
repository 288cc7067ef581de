import { listInvitationsForUser } from "@switchyard/core/services";
import { getUserByIdOrThrow } from "@switchyard/db";
import { MailIcon } from "lucide-react";
import type { Metadata } from "next";
import { VerifyEmailNotice } from "@/components/auth/verify-email-notice";
import { PendingInvitations } from "@/components/invitations/pending-invitations";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/states";
import { getDeps } from "@/server/deps";
import { requireUser } from "@/server/pages";

export const metadata: Metadata = { title: "Invitations" };

export default async function InvitationsPage() {
  const user = await requireUser();
  const deps = await getDeps();
  const [invitations, account] = await Promise.all([listInvitationsForUser(deps, user.id), getUserByIdOrThrow(deps.db, user.id)]);
  return (
    <>
      <PageHeader title="Invitations" description={`Open invitations for ${user.email}. You join a team only when you accept.`} />
      {!account.emailVerifiedAt ? (
        <VerifyEmailNotice email={user.email} />
      ) : invitations.length === 0 ? (
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
