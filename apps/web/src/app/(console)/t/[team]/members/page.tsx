import { roleAtLeast } from "@switchyard/shared";
import { listMembers, listPendingTeamInvitations } from "@switchyard/db";
import type { Metadata } from "next";
import { InviteMemberDialog } from "@/components/members/invite-member-dialog";
import { MembersTable } from "@/components/members/members-table";
import { PendingInvitationsTable } from "@/components/members/pending-invitations-table";
import { PageHeader, SectionTitle } from "@/components/page-header";
import { getDeps } from "@/server/deps";
import { loadTeam } from "@/server/pages";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ team: string }> }) {
  const { team, user } = await loadTeam((await params).team);
  const { db } = await getDeps();
  const [members, invitations] = await Promise.all([listMembers(db, team.id), listPendingTeamInvitations(db, team.id)]);
  const isAdmin = roleAtLeast(team.role, "admin");
  return (
    <>
      <PageHeader
        title="Members"
        description="People in this team and what they may do. Removing someone revokes the API keys they created."
        actions={isAdmin ? <InviteMemberDialog teamId={team.id} canInviteOwners={roleAtLeast(team.role, "owner")} /> : null}
      />
      <MembersTable
        teamId={team.id}
        myRole={team.role}
        myUserId={user.id}
        members={members.map((m) => ({ id: m.id, userId: m.userId, role: m.role, name: m.user.name, email: m.user.email, active: m.user.isActive, joinedAt: m.createdAt.toISOString() }))}
      />
      {isAdmin ? (
        <div className="mt-8">
          <SectionTitle description="Invitees join only when they accept while signed in with the invited email.">Pending invitations</SectionTitle>
          <PendingInvitationsTable
            teamId={team.id}
            invitations={invitations.map((i) => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString(), createdAt: i.createdAt.toISOString() }))}
          />
        </div>
      ) : null}
    </>
  );
}
