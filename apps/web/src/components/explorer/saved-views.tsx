"use client";

import { BookmarkIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useAction } from "@/lib/action-client";
import { createSavedView, deleteView } from "@/server/actions/explorer";

export interface SavedViewItem {
  id: string;
  name: string;
  state: string;
}

/** The project's saved views (links to their URL state) and saving the current one. */
export function SavedViews({ projectId, views, canSave }: { projectId: string; views: SavedViewItem[]; canSave: boolean }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const [name, setName] = useState("");
  const save = useAction(createSavedView, { success: "View saved", onSuccess: () => setName("") });
  const remove = useAction(deleteView, { success: "View deleted" });
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="saved-views">
      <BookmarkIcon className="text-muted-foreground size-4" />
      {views.length ? null : <span className="text-muted-foreground text-xs">No saved views yet</span>}
      {views.map((v) => (
        <span key={v.id} className="flex items-center rounded-md border">
          <Link className="px-2 py-0.5 text-xs hover:underline" href={`${pathname}?${v.state}`}>
            {v.name}
          </Link>
          {canSave ? (
            <button type="button" aria-label={`Delete view ${v.name}`} className="px-1" onClick={() => remove.mutate({ projectId, viewId: v.id })}>
              <XIcon className="size-3" />
            </button>
          ) : null}
        </span>
      ))}
      {canSave ? (
        <form
          className="ml-auto flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            const state = new URLSearchParams(params);
            state.delete("call");
            state.delete("tail");
            if (name.trim()) save.mutate({ projectId, name: name.trim(), state: state.toString() });
          }}
        >
          <Input aria-label="View name" className="h-7 w-40 text-xs" placeholder="Save this view as…" value={name} onChange={(e) => setName(e.target.value)} />
          <Button size="sm" variant="outline" className="h-7" type="submit" disabled={save.isPending}>
            Save view
          </Button>
        </form>
      ) : null}
    </div>
  );
}
