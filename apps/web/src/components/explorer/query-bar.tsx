"use client";

import { LOG_QUERY_ENUMS, LOG_QUERY_FIELDS, logQueryTerm, type LogQueryFacet } from "@switchyard/shared";
import { SearchIcon } from "lucide-react";
import { forwardRef, useEffect, useMemo, useState } from "react";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import type { FacetsResult } from "./explorer-api";

const FACET_OF: Partial<Record<LogQueryFacet, keyof FacetsResult["facets"]>> = { status: "status", tool: "tool", server: "server", client: "client", method: "method", key: "key", session: "session" };

/** Suggestions for the word under the caret: field names, or values of the field being typed. */
function suggest(text: string, caret: number, facets: FacetsResult["facets"] | undefined): { start: number; items: string[] } {
  const before = text.slice(0, caret);
  const m = /(-?)([A-Za-z]*)(?::([^\s()]*))?$/.exec(before);
  if (!m) return { start: caret, items: [] };
  const [whole, neg = "", field = "", value] = m;
  const start = caret - whole.length;
  if (value === undefined) {
    if (!field) return { start, items: [] };
    return { start, items: LOG_QUERY_FIELDS.filter((f) => f.startsWith(field.toLowerCase()) && f !== field).map((f) => `${neg}${f}:`) };
  }
  const facet = FACET_OF[field as LogQueryFacet];
  const known = new Set<string>([...(LOG_QUERY_ENUMS[field as LogQueryFacet] ?? []), ...((facet && facets?.[facet]?.map((v) => v.value)) ?? [])]);
  const v = value.replace(/^"/, "").toLowerCase();
  return {
    start,
    items: [...known].filter((k) => k.toLowerCase().startsWith(v) && k.toLowerCase() !== v).slice(0, 8).map((k) => `${neg}${logQueryTerm(field as LogQueryFacet, k)}`),
  };
}

export interface QueryBarProps {
  value: string;
  onSubmit: (q: string) => void;
  facets?: FacetsResult["facets"];
  error?: { message: string; position?: number; expected?: string[] } | null;
}

/** The query input: Enter runs it, Tab or a click takes a suggestion; errors point at their position. */
export const QueryBar = forwardRef<HTMLInputElement, QueryBarProps>(function QueryBarInput({ value, onSubmit, facets, error }, ref) {
  const [text, setText] = useState(value);
  const [caret, setCaret] = useState(value.length);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  useEffect(() => setText(value), [value]);
  const { start, items } = useMemo(() => suggest(text, caret, facets), [text, caret, facets]);
  const accept = (item: string) => {
    const next = `${text.slice(0, start)}${item}${item.endsWith(":") ? "" : " "}${text.slice(caret).trimStart()}`;
    setText(next);
    setCaret(start + item.length + (item.endsWith(":") ? 0 : 1));
    setActive(0);
  };
  return (
    <div className="relative">
      <SearchIcon className="text-muted-foreground pointer-events-none absolute top-2.5 left-2.5 size-4" />
      <Input
        ref={ref}
        aria-label="Query"
        data-testid="query-input"
        className={cn("pl-8 font-mono text-sm", error && "border-destructive")}
        placeholder='status:error server:github -client:cursor duration:>500 "timed out"   (press / to focus)'
        value={text}
        spellCheck={false}
        autoComplete="off"
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setText(e.target.value);
          setCaret(e.target.selectionStart ?? e.target.value.length);
          setOpen(true);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? text.length)}
        onKeyDown={(e) => {
          if (open && items.length && (e.key === "Tab" || (e.key === "Enter" && active > 0))) {
            e.preventDefault();
            accept(items[active] ?? items[0] ?? "");
          } else if (open && items.length && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
            e.preventDefault();
            setActive((a) => (a + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length);
          } else if (e.key === "Enter") {
            e.preventDefault();
            setOpen(false);
            onSubmit(text.trim());
          } else if (e.key === "Escape") {
            setOpen(false);
            e.currentTarget.blur();
          }
        }}
      />
      {open && items.length ? (
        <ul role="listbox" data-testid="query-suggestions" className="bg-popover absolute z-20 mt-1 w-full max-w-md rounded-md border p-1 text-sm shadow-md">
          {items.map((item, i) => (
            <li key={item} role="option" aria-selected={i === active}>
              <button type="button" className={cn("w-full rounded px-2 py-1 text-left font-mono", i === active && "bg-accent")} onMouseDown={(e) => e.preventDefault()} onClick={() => accept(item)}>
                {item}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p role="alert" data-testid="query-error" className="text-destructive mt-1 font-mono text-xs">
          {error.position !== undefined ? `At ${error.position + 1}: ` : ""}
          {error.message}
          {error.expected?.length ? ` — expected ${error.expected.slice(0, 8).join(", ")}` : ""}
        </p>
      ) : null}
    </div>
  );
});
