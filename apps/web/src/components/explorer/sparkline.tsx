/** A tiny bar chart of counts (error groups' occurrences over the range). */
export function Sparkline({ values, className }: { values: number[]; className?: string }) {
  const max = Math.max(1, ...values);
  const w = 2 * values.length;
  return (
    <svg viewBox={`0 0 ${w} 20`} preserveAspectRatio="none" className={className ?? "h-5 w-24"} aria-hidden>
      {values.map((v, i) => (v ? <rect key={i} x={i * 2} y={20 - (v / max) * 20} width={1.6} height={(v / max) * 20} className="fill-red-500" /> : null))}
    </svg>
  );
}
