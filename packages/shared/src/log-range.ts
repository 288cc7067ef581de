/**
 * The explorer's time ranges: a relative preset (kept relative in the URL, so a reload shows the
 * latest calls) or an absolute `from`/`to` (a zoomed or custom range, kept exact).
 */
export const LOG_RANGE_PRESETS = { "15m": 15 * 60_000, "1h": 3600_000, "4h": 4 * 3600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;
export type LogRangePreset = keyof typeof LOG_RANGE_PRESETS;
export const LOG_RANGE_NAMES = ["15m", "1h", "4h", "24h", "7d"] as const satisfies readonly LogRangePreset[];
export const DEFAULT_LOG_RANGE: LogRangePreset = "1h";
/** The longest range the explorer reads (the longest retention a project can have). */
export const MAX_LOG_RANGE_MS = 90 * 86_400_000;

export interface LogRangeInput {
  range?: LogRangePreset;
  /** ISO time or epoch ms. */
  from?: string | number | Date;
  to?: string | number | Date;
}

function toDate(v: string | number | Date): Date {
  return v instanceof Date ? v : new Date(typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v);
}

/** The absolute `[from, to)` for an input; an absolute range wins over a preset. */
export function resolveLogRange(input: LogRangeInput, now: number = Date.now()): { from: Date; to: Date } | { error: string } {
  if (input.from !== undefined && input.to !== undefined) {
    const from = toDate(input.from);
    const to = toDate(input.to);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return { error: "from and to must be times" };
    if (from >= to) return { error: "from must be before to" };
    if (to.getTime() - from.getTime() > MAX_LOG_RANGE_MS) return { error: "The range can span at most 90 days" };
    return { from, to };
  }
  const span = LOG_RANGE_PRESETS[input.range ?? DEFAULT_LOG_RANGE];
  return { from: new Date(now - span), to: new Date(now + 1) };
}
