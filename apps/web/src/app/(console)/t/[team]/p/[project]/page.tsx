import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ActivitySection, CallsSection, ConnectSection, OverviewStats, SectionSkeleton, ServersSection, StatsSkeleton } from "@/components/overview/overview-sections";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { paths } from "@/lib/paths";
import { loadProject } from "@/server/pages";

export const metadata: Metadata = { title: "Overview" };

export default async function ProjectOverview({ params }: { params: Promise<{ team: string; project: string }> }) {
  const p = await params;
  const { team, project, role } = await loadProject(p.team, p.project);
  const base = paths.project(team.slug, project.slug);
  return (
    <>
      <PageHeader title={project.name} description={project.description || "Project overview"} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Suspense fallback={<StatsSkeleton />}>
          <OverviewStats projectId={project.id} logsPath={(q) => paths.logs(team.slug, project.slug, q, "24h")} />
        </Suspense>
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-5">
        <Card className="lg:col-span-3">
          <CardHeader>
            <CardTitle>Calls, last 24 hours</CardTitle>
            <CardDescription>Per hour; failures in red.</CardDescription>
          </CardHeader>
          <CardContent>
            <Suspense fallback={<SectionSkeleton />}>
              <CallsSection projectId={project.id} />
            </Suspense>
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader className="flex-row items-center justify-between">
            <div className="space-y-1">
              <CardTitle>Servers</CardTitle>
              <CardDescription>Cached status from the last check.</CardDescription>
            </div>
            <Button asChild variant="outline" size="sm">
              <Link href={`${base}/servers`}>View all</Link>
            </Button>
          </CardHeader>
          <CardContent>
            <Suspense fallback={<SectionSkeleton />}>
              <ServersSection projectId={project.id} base={base} role={role} />
            </Suspense>
          </CardContent>
        </Card>
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-5">
        <Card className="lg:col-span-3">
          <CardHeader>
            <CardTitle>Connect a client</CardTitle>
            <CardDescription>One URL for every enabled server, or one per server. Authenticate with a project API key.</CardDescription>
          </CardHeader>
          <CardContent>
            <Suspense fallback={<SectionSkeleton lines={6} />}>
              <ConnectSection projectId={project.id} projectSlug={project.slug} keysHref={`${base}/keys`} />
            </Suspense>
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader className="flex-row items-center justify-between">
            <CardTitle>Recent activity</CardTitle>
            <Button asChild variant="ghost" size="sm">
              <Link href={`${base}/activity`}>All activity</Link>
            </Button>
          </CardHeader>
          <CardContent>
            <Suspense fallback={<SectionSkeleton />}>
              <ActivitySection teamId={team.id} projectId={project.id} />
            </Suspense>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
