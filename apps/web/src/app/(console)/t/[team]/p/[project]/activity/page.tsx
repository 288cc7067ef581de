import { listMembers } from "@switchyard/db";
import type { Metadata } from "next";
import { Suspense } from "react";
import { ActivityFeed } from "@/components/activity/activity-feed";
import { PageHeader } from "@/components/page-header";
import { TableSkeleton } from "@/components/states";
import { getDeps } from "@/server/deps";
import { loadProject } from "@/server/pages";

export const metadata: Metadata = { title: "Activity" };

export default async function ProjectActivityPage({ params }: { params: Promise<{ team: string; project: string }> }) {
  const p = await params;
  const { team, project } = await loadProject(p.team, p.project);
  const { db } = await getDeps();
  const members = await listMembers(db, team.id);
  return (
    <>
      <PageHeader title="Activity" description="Changes to this project's servers, tools, keys and settings." />
      <Suspense fallback={<TableSkeleton />}>
        <ActivityFeed teamId={team.id} projectId={project.id} actors={members.map((m) => ({ id: m.userId, label: m.user.email }))} />
      </Suspense>
    </>
  );
}
