"use client";

import { useRef, useState } from "react";
import type { HistogramResult } from "./explorer-api";

const COLORS: Record<string, string> = { success: "#16a34a", error: "#dc2626", timeout: "#f97316", cancelled: "#a1a1aa", rejected: "#9333ea", other: "#71717a" };
const PALETTE = ["#2563eb", "#0891b2", "#ca8a04", "#db2777", "#4f46e5", "#65a30d", "#ea580c", "#0d9488", "#7c3aed", "#be123c"];

export function groupColor(group: string, index: number): string {
  return COLORS[group] ?? PALETTE[index % PALETTE.length] ?? "#71717a";
}

/** Stacked bars per time bucket; dragging across it selects a range to zoom into. */
export function Histogram({ data, onZoom }: { data: HistogramResult; onZoom: (from: Date, to: Date) => void }) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const n = data.buckets.length;
  const max = Math.max(1, ...data.buckets.map((b) => Object.values(b.counts).reduce((x, y) => x + y, 0)));
  const width = 1000;
  const height = 120;
  const bw = width / Math.max(1, n);
  const step = data.stepSeconds * 1000;
  const fraction = (clientX: number) => {
    const r = svg.current?.getBoundingClientRect();
    return r ? Math.min(1, Math.max(0, (clientX - r.left) / r.width)) : 0;
  };
  const timeAt = (f: number) => {
    const first = new Date(data.buckets[0]?.at ?? 0).getTime();
    return new Date(first + f * n * step);
  };
  return (
    <div className="space-y-1">
      <svg
        ref={svg}
        data-testid="histogram"
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        className="h-28 w-full cursor-crosshair select-none"
        onMouseDown={(e) => setDrag({ a: fraction(e.clientX), b: fraction(e.clientX) })}
        onMouseMove={(e) => drag && setDrag({ ...drag, b: fraction(e.clientX) })}
        onMouseUp={() => {
          if (drag && Math.abs(drag.b - drag.a) > 0.01) {
            const lo = Math.min(drag.a, drag.b);
            const hi = Math.max(drag.a, drag.b);
            onZoom(timeAt(lo), timeAt(hi));
          }
          setDrag(null);
        }}
        onMouseLeave={() => setDrag(null)}
      >
        {data.buckets.map((b, i) => {
          let y = height;
          return (
            <g key={b.at}>
              <title>{`${new Date(b.at).toLocaleString()}: ${Object.entries(b.counts).map(([g, c]) => `${g} ${c}`).join(", ") || "no calls"}`}</title>
              {data.groups.map((g, gi) => {
                const c = b.counts[g] ?? 0;
                if (!c) return null;
                const h = (c / max) * (height - 4);
                y -= h;
                return <rect key={g} x={i * bw + 0.5} y={y} width={Math.max(0.5, bw - 1)} height={h} fill={groupColor(g, gi)} />;
              })}
            </g>
          );
        })}
        {drag ? <rect x={Math.min(drag.a, drag.b) * width} y={0} width={Math.abs(drag.b - drag.a) * width} height={height} fill="currentColor" opacity={0.12} /> : null}
      </svg>
      <div className="text-muted-foreground flex flex-wrap items-center gap-3 text-xs">
        {data.groups.map((g, gi) => (
          <span key={g} className="flex items-center gap-1">
            <span className="inline-block size-2 rounded-sm" style={{ background: groupColor(g, gi) }} />
            {g}
          </span>
        ))}
        <span className="ml-auto">
          {data.stepSeconds >= 3600 ? `${data.stepSeconds / 3600} h` : data.stepSeconds >= 60 ? `${data.stepSeconds / 60} min` : `${data.stepSeconds} s`} buckets
          {data.fromRollups ? " · from rollups" : ""} · drag to zoom
        </span>
      </div>
    </div>
  );
}
