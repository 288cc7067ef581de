import { absoluteTime, formatNumber } from "@/lib/format";

/** 24 hourly bars of calls, failures stacked in red; hours without calls stay empty, never invented. */
export function CallChart({ hourly, now }: { hourly: { hour: string; calls: number; failed: number }[]; now: number }) {
  const start = Math.floor(now / 3600_000) * 3600_000 - 23 * 3600_000;
  const byHour = new Map(hourly.map((h) => [new Date(h.hour).getTime(), h]));
  const bars = Array.from({ length: 24 }, (_, i) => {
    const t = start + i * 3600_000;
    return { t, calls: byHour.get(t)?.calls ?? 0, failed: byHour.get(t)?.failed ?? 0 };
  });
  const max = Math.max(1, ...bars.map((b) => b.calls));
  return (
    <div className="flex h-28 items-end gap-1" role="img" aria-label="Calls per hour over the last 24 hours">
      {bars.map((b) => {
        const h = (b.calls / max) * 100;
        const f = b.calls ? (b.failed / b.calls) * h : 0;
        return (
          <div key={b.t} className="group relative flex h-full flex-1 flex-col justify-end" title={`${absoluteTime(b.t)}: ${formatNumber(b.calls)} calls, ${formatNumber(b.failed)} failed`}>
            <div className="w-full rounded-t-sm bg-brand/70 transition-colors group-hover:bg-brand" style={{ height: `${h - f}%` }} />
            {f > 0 ? <div className="w-full bg-destructive/80" style={{ height: `${f}%` }} /> : null}
            {b.calls === 0 ? <div className="h-px w-full bg-border" /> : null}
          </div>
        );
      })}
    </div>
  );
}
