import type { Metadata } from "next";
import { WorkersPanel } from "@/components/admin/workers-panel";
import { PageHeader } from "@/components/page-header";
import { requireAdmin } from "@/server/pages";

export const metadata: Metadata = { title: "Workers" };

export default async function WorkersPage() {
  await requireAdmin();
  return (
    <>
      <PageHeader title="Workers" description="Background jobs: server status refresh and log retention. Every control here is recorded in the activity log." />
      <WorkersPanel />
    </>
  );
}
