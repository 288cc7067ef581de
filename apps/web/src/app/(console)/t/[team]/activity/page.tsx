import { listMembers } from "@switchyard/db";
import type { Metadata } from "next";
import { Suspense } from "react";
import { ActivityFeed } from "@/components/activity/activity-feed";
import { PageHeader } from "@/components/page-header";
import { TableSkeleton } from "@/components/states";
import { getDeps } from "@/server/deps";
import { loadTeam } from "@/server/pages";

export const metadata: Metadata = { title: "Team activity" };

export default async function TeamActivityPage({ params }: { params: Promise<{ team: string }> }) {
  const { team } = await loadTeam((await params).team);
  const { db } = await getDeps();
  const members = await listMembers(db, team.id);
  return (
    <>
      <PageHeader title="Activity" description="Every change made in this team and its projects, newest first." />
      <Suspense fallback={<TableSkeleton />}>
        <ActivityFeed teamId={team.id} actors={members.map((m) => ({ id: m.userId, label: m.user.email }))} />
      </Suspense>
    </>
  );
}
