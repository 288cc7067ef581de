"use client";

import { logQueryTerm } from "@switchyard/shared";
import { MinusIcon, PlusIcon } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { formatNumber } from "@/lib/format";
import type { FacetsResult } from "./explorer-api";

const LABELS: Record<keyof FacetsResult["facets"], string> = { status: "Status", server: "Server", tool: "Tool", client: "Client", method: "Method", key: "API key", session: "Top sessions" };

/** Facet counts for the current query; + includes a value, − excludes it; a duration range filter. */
export function FacetSidebar({ facets, onAdd }: { facets: FacetsResult | undefined; onAdd: (term: string) => void }) {
  const [min, setMin] = useState("");
  const [max, setMax] = useState("");
  return (
    <aside className="space-y-4 text-sm" data-testid="facets">
      {(Object.keys(LABELS) as (keyof typeof LABELS)[]).map((facet) => (
        <section key={facet} data-testid={`facet-${facet}`}>
          <h3 className="text-muted-foreground mb-1 text-xs font-medium tracking-wide uppercase">
            {LABELS[facet]}
            {(facet === "key" || facet === "session") && facets ? <span className="font-normal normal-case"> (latest {formatNumber(facets.sampleSize)})</span> : null}
            {facet === "tool" && facets?.fromRollups ? <span className="font-normal normal-case"> (tools and prompts)</span> : null}
          </h3>
          {facets?.facets[facet].length ? (
            <ul className="space-y-0.5">
              {facets.facets[facet].map((v) => (
                <li key={v.value} className="group flex items-center gap-1">
                  <button type="button" className="hover:bg-accent min-w-0 flex-1 truncate rounded px-1 text-left font-mono text-xs" title={`Only ${v.value}`} onClick={() => onAdd(logQueryTerm(facet, v.value))}>
                    {facet === "session" ? v.value.slice(0, 8) : v.value}
                  </button>
                  <span className="text-muted-foreground tabular-nums text-xs">{formatNumber(v.count)}</span>
                  <button type="button" aria-label={`Include ${v.value}`} className="opacity-0 group-hover:opacity-100" onClick={() => onAdd(logQueryTerm(facet, v.value))}>
                    <PlusIcon className="size-3" />
                  </button>
                  <button type="button" aria-label={`Exclude ${v.value}`} className="opacity-0 group-hover:opacity-100" onClick={() => onAdd(logQueryTerm(facet, v.value, true))}>
                    <MinusIcon className="size-3" />
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-muted-foreground text-xs">{facets ? "none" : "…"}</p>
          )}
        </section>
      ))}
      <section>
        <h3 className="text-muted-foreground mb-1 text-xs font-medium tracking-wide uppercase">Duration (ms)</h3>
        <form
          className="flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            if (min && max) onAdd(`duration:[${min} TO ${max}]`);
            else if (min) onAdd(`duration:>=${min}`);
            else if (max) onAdd(`duration:<=${max}`);
          }}
        >
          <Input aria-label="Minimum duration" inputMode="numeric" className="h-7 w-16 text-xs" placeholder="min" value={min} onChange={(e) => setMin(e.target.value.replace(/\D/g, ""))} />
          <Input aria-label="Maximum duration" inputMode="numeric" className="h-7 w-16 text-xs" placeholder="max" value={max} onChange={(e) => setMax(e.target.value.replace(/\D/g, ""))} />
          <Button type="submit" size="sm" variant="outline" className="h-7">
            Apply
          </Button>
        </form>
      </section>
    </aside>
  );
}
