import type { Metadata } from "next";
import { Suspense } from "react";
import { Explorer } from "@/components/explorer/explorer";
import { PageHeader } from "@/components/page-header";
import { PageSkeleton } from "@/components/states";
import { loadTeam } from "@/server/pages";

export const metadata: Metadata = { title: "Logs" };

/** The team-wide explorer: the same explorer over every project of the team. */
export default async function TeamLogsPage({ params }: { params: Promise<{ team: string }> }) {
  const p = await params;
  const { team } = await loadTeam(p.team);
  return (
    <>
      <PageHeader title="Logs" description="Calls across every project of the team." />
      <Suspense fallback={<PageSkeleton />}>
        <Explorer teamId={team.id} />
      </Suspense>
    </>
  );
}
