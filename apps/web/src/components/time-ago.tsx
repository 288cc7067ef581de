"use client";

import { useEffect, useState } from "react";
import { absoluteTime, relativeTime } from "@/lib/format";

/** Relative time that stays current; the exact UTC time is in the tooltip. */
export function TimeAgo({ date, fallback = "never" }: { date: Date | string | null | undefined; fallback?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  if (!date) return <span className="text-muted-foreground">{fallback}</span>;
  return (
    <time dateTime={new Date(date).toISOString()} title={absoluteTime(date)} suppressHydrationWarning>
      {/* Data fresher than this clock (a refresh landed between ticks) is "just now", never "in 15 seconds". */}
      {relativeTime(date, Math.max(now, new Date(date).getTime()))}
    </time>
  );
}
