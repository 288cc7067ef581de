/** Display helpers shared by server and client components (pure, locale-stable). */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];
const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function relativeTime(date: Date | string | number, now: number = Date.now()): string {
  const t = new Date(date).getTime();
  const diff = Math.round((t - now) / 1000);
  if (Math.abs(diff) < 10) return "just now";
  for (const [unit, seconds] of UNITS) {
    if (Math.abs(diff) >= seconds || unit === "second") return rtf.format(Math.round(diff / seconds), unit);
  }
  return "just now";
}

export function absoluteTime(date: Date | string | number): string {
  return new Date(date).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat("en").format(n);
}

export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return "—";
  return `${(ratio * 100).toFixed(ratio < 0.1 && ratio > 0 ? 2 : 1)}%`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
