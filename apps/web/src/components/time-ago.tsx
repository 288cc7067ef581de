"use client";

import { absoluteTime, relativeTime } from "@/lib/format";
import { useNow } from "./use-now";

/** Relative time that stays current; the exact UTC time is in the tooltip. */
export function TimeAgo({ date, fallback = "never" }: { date: Date | string | null | undefined; fallback?: string }) {
  const now = useNow();
  if (!date) return <span className="text-muted-foreground">{fallback}</span>;
  return (
    <time dateTime={new Date(date).toISOString()} title={absoluteTime(date)} suppressHydrationWarning>
      {/* Data fresher than this clock (a refresh landed between ticks) is "just now", never "in 15 seconds". */}
      {relativeTime(date, Math.max(now, new Date(date).getTime()))}
    </time>
  );
}
