import Link from "next/link";
import type * as React from "react";
import { Card } from "@/components/ui/card";

/** With `href`, the whole card links there (the 24 h numbers open the explorer). */
export function StatCard({ label, value, hint, href }: { label: string; value: React.ReactNode; hint?: React.ReactNode; href?: string }) {
  const card = (
    <Card className={href ? "px-5 py-4 transition-colors hover:bg-muted/50" : "px-5 py-4"}>
      <p className="text-xs font-medium text-muted-foreground">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`stat-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`}>
        {value}
      </p>
      {hint ? <p className="mt-0.5 text-xs text-muted-foreground">{hint}</p> : null}
    </Card>
  );
  return href ? <Link href={href}>{card}</Link> : card;
}
