import { listTeamsForAdmin } from "@switchyard/db";
import { BoxesIcon } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/states";
import { TimeAgo } from "@/components/time-ago";
import { Input } from "@/components/ui/input";
import { TableCard } from "@/components/table-card";
import { TableCell, TableHead, TableRow } from "@/components/ui/table";
import { getDeps } from "@/server/deps";
import { requireAdmin } from "@/server/pages";

export const metadata: Metadata = { title: "Teams" };

export default async function AdminTeamsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requireAdmin();
  const q = (await searchParams).q?.slice(0, 200) ?? "";
  const { db } = await getDeps();
  const teams = await listTeamsForAdmin(db, { q, limit: 500 });
  return (
    <>
      <PageHeader title="Teams" description="Every team on this instance. Team contents are visible to their members only." />
      <form className="mb-4 max-w-sm">
        <Input name="q" defaultValue={q} placeholder="Search by name or slug, then Enter" aria-label="Search teams" />
      </form>
      {teams.length === 0 ? (
        <EmptyState icon={BoxesIcon} title={q ? "No teams match" : "No teams yet"} />
      ) : (
        <TableCard
          head={
            <>
              <TableHead>Team</TableHead>
              <TableHead>Owners</TableHead>
              <TableHead className="text-right">Members</TableHead>
              <TableHead className="text-right">Projects</TableHead>
              <TableHead>Created</TableHead>
            </>
          }
        >
          {teams.map((t) => (
            <TableRow key={t.id} data-testid="admin-team-row" data-slug={t.slug}>
              <TableCell>
                <p className="font-medium">{t.name}</p>
                <p className="font-mono text-xs text-muted-foreground">{t.slug}</p>
              </TableCell>
              <TableCell className="text-sm text-muted-foreground">{t.ownerEmails.join(", ") || "—"}</TableCell>
              <TableCell className="text-right tabular-nums">{t.memberCount}</TableCell>
              <TableCell className="text-right tabular-nums">{t.projectCount}</TableCell>
              <TableCell className="text-muted-foreground">
                <TimeAgo date={t.createdAt.toISOString()} />
              </TableCell>
            </TableRow>
          ))}
        </TableCard>
      )}
    </>
  );
}
