"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { ACTIVITY_TYPES } from "@switchyard/shared";
import { ActivityIcon, SearchIcon } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/states";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { fetchJson } from "@/lib/action-client";
import type { ActivityView } from "@/server/activity-view";

const RANGES = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30, all: 0 } as const;
type Range = keyof typeof RANGES;
const ALL = "all";

interface Page {
  items: ActivityView[];
  nextCursor: string | null;
}

function badgeVariant(type: string): "destructive" | "success" | "info" | "secondary" {
  if (/deleted|revoked|removed|disabled|paused/.test(type)) return "destructive";
  if (/created|joined|enabled|approved|resumed/.test(type)) return "success";
  if (/invited|role_changed|updated|interval|requested/.test(type)) return "info";
  return "secondary";
}

/** The team's (or one project's) audit feed; filters live in the URL so a view can be shared. */
export function ActivityFeed({ teamId, projectId, actors }: { teamId: string; projectId?: string; actors: { id: string; label: string }[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const type = params.get("type") ?? ALL;
  const actor = params.get("actor") ?? ALL;
  const range = (params.get("range") as Range | null) ?? "7d";
  const q = params.get("q") ?? "";
  const [search, setSearch] = useState(q);

  const setParam = useCallback(
    (key: string, value: string) => {
      const next = new URLSearchParams(params);
      if (!value || value === ALL) next.delete(key);
      else next.set(key, value);
      router.replace(`${pathname}?${next.toString()}`, { scroll: false });
    },
    [params, pathname, router],
  );

  // Search as you type, without a request per keystroke; the URL is written with the filters as they are then.
  useEffect(() => {
    const t = setTimeout(() => {
      if (search !== q) setParam("q", search);
    }, 300);
    return () => clearTimeout(t);
  }, [search, q, setParam]);

  const hours = RANGES[range] ?? RANGES["7d"];
  const query = useInfiniteQuery({
    queryKey: ["activity", teamId, projectId ?? null, type, actor, range, q],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const sp = new URLSearchParams({ limit: "30" });
      if (projectId) sp.set("projectId", projectId);
      if (type !== ALL) sp.set("type", type);
      if (actor !== ALL) sp.set("actor", actor);
      if (hours) sp.set("from", new Date(Date.now() - hours * 3600_000).toISOString());
      if (q) sp.set("q", q);
      if (pageParam) sp.set("before", pageParam);
      return fetchJson<Page>(`/api/teams/${teamId}/activity?${sp.toString()}`, signal);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = type !== ALL || actor !== ALL || q !== "" || range !== "all";

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-2">
        <div className="relative min-w-56 flex-1">
          <SearchIcon className="absolute top-2.5 left-2.5 size-4 text-muted-foreground" />
          <Input className="pl-8" placeholder="Search summaries" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search activity" />
        </div>
        <Select value={type} onValueChange={(v) => setParam("type", v)}>
          <SelectTrigger className="w-48" aria-label="Activity type">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>All types</SelectItem>
            {ACTIVITY_TYPES.map((t) => (
              <SelectItem key={t} value={t}>
                {t}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Select value={actor} onValueChange={(v) => setParam("actor", v)}>
          <SelectTrigger className="w-48" aria-label="Actor">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>Anyone</SelectItem>
            {actors.map((a) => (
              <SelectItem key={a.id} value={a.id}>
                {a.label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Select value={range} onValueChange={(v) => setParam("range", v)}>
          <SelectTrigger className="w-36" aria-label="Time range">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="24h">Last 24 hours</SelectItem>
            <SelectItem value="7d">Last 7 days</SelectItem>
            <SelectItem value="30d">Last 30 days</SelectItem>
            <SelectItem value="all">All time</SelectItem>
          </SelectContent>
        </Select>
      </div>

      {query.isPending ? (
        <TableSkeleton rows={6} columns={3} />
      ) : query.isError ? (
        <ErrorState
          title="Could not load activity"
          message={query.error.message}
          action={
            <Button variant="outline" onClick={() => void query.refetch()}>
              Retry
            </Button>
          }
        />
      ) : items.length === 0 ? (
        <EmptyState icon={ActivityIcon} title={filtered ? "No activity matches these filters" : "No activity yet"} description={filtered ? "Widen the time range or clear the filters." : "Changes to servers, keys, members and settings appear here."} />
      ) : (
        <Card className="divide-y" data-testid="activity-feed">
          {items.map((a) => (
            <div key={a.id} className="flex items-start gap-3 px-4 py-3 text-sm" data-testid="activity-item" data-type={a.type}>
              <Badge variant={badgeVariant(a.type)} className="mt-0.5 font-mono">
                {a.type}
              </Badge>
              <div className="min-w-0 flex-1">
                <p className="break-words">{a.summary}</p>
                <p className="text-xs text-muted-foreground">{a.actor ? `${a.actor.name} · ${a.actor.email}` : "System"}</p>
              </div>
              <span className="shrink-0 text-xs text-muted-foreground">
                <TimeAgo date={a.at} />
              </span>
            </div>
          ))}
          {query.hasNextPage ? (
            <div className="p-3 text-center">
              <Button variant="outline" size="sm" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                {query.isFetchingNextPage ? "Loading…" : "Load older activity"}
              </Button>
            </div>
          ) : null}
        </Card>
      )}
    </div>
  );
}
