import { listServerEvents } from "@switchyard/db";
import { SERVER_EVENT_CATEGORIES } from "@switchyard/shared";
import { ScrollTextIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/states";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { paths } from "@/lib/paths";
import { cn } from "@/lib/utils";
import { getDeps } from "@/server/deps";
import { loadServer } from "@/server/pages";

export const metadata: Metadata = { title: "Server events" };

const LEVEL = { debug: "secondary", info: "info", warn: "warning", error: "destructive" } as const;
type Category = (typeof SERVER_EVENT_CATEGORIES)[number];

export default async function ServerEventsPage({ params, searchParams }: { params: Promise<{ team: string; project: string; server: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const p = await params;
  const sp = await searchParams;
  const { team, project, server } = await loadServer(p.team, p.project, p.server);
  const { db } = await getDeps();
  const category = SERVER_EVENT_CATEGORIES.includes(sp.category as Category) ? (sp.category as Category) : undefined;
  const page = await listServerEvents(db, project.id, server.id, { limit: 50, ...(category ? { category } : {}), ...(sp.before ? { before: sp.before } : {}) });
  const base = paths.serverSection(team.slug, project.slug, server.name, "events");
  const href = (q: Record<string, string | undefined>) => {
    const s = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1]));
    return s.size ? `${base}?${s.toString()}` : base;
  };
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-1.5">
        {[undefined, ...SERVER_EVENT_CATEGORIES].map((c) => (
          <Link key={c ?? "all"} href={href({ category: c })} className={cn("rounded-full border px-2.5 py-0.5 text-xs", c === category ? "border-brand bg-brand/10 text-brand" : "text-muted-foreground hover:text-foreground")}>
            {c ?? "all"}
          </Link>
        ))}
      </div>
      {page.items.length === 0 ? (
        <EmptyState icon={ScrollTextIcon} title="No events" description={category ? `No ${category} events for this server.` : "Status changes, process starts and exits, stderr output and tool changes appear here."} />
      ) : (
        <Card className="divide-y" data-testid="server-events">
          {page.items.map((e) => (
            <div key={e.id} className="flex items-start gap-3 px-4 py-3 text-sm">
              <Badge variant={LEVEL[e.level]} className="mt-0.5 w-14 justify-center">
                {e.level}
              </Badge>
              <Badge variant="outline" className="mt-0.5 font-mono">
                {e.category}
              </Badge>
              <div className="min-w-0 flex-1">
                <p className="font-mono text-xs break-words whitespace-pre-wrap">{e.message}</p>
                {e.details && Object.keys(e.details).length ? (
                  <details className="mt-1">
                    <summary className="cursor-pointer text-xs text-muted-foreground">details</summary>
                    <pre className="mt-1 max-h-48 overflow-auto rounded-md bg-muted/40 p-2 text-xs">{JSON.stringify(e.details, null, 2)}</pre>
                  </details>
                ) : null}
              </div>
              <span className="shrink-0 text-xs text-muted-foreground">
                <TimeAgo date={e.at.toISOString()} />
              </span>
            </div>
          ))}
        </Card>
      )}
      {page.nextCursor ? (
        <div className="text-center">
          <Button asChild variant="outline" size="sm">
            <Link href={href({ category, before: page.nextCursor })}>Older events</Link>
          </Button>
        </div>
      ) : null}
    </div>
  );
}
