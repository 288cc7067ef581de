"use client";

import { roleAtLeast, type TeamRole } from "@switchyard/shared";
import { ChevronRightIcon, PlayIcon, SearchIcon, WrenchIcon } from "lucide-react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { EmptyState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import { useAction } from "@/lib/action-client";
import { reviewTool, setToolEnabled } from "@/server/actions/tools";
import type { ToolView } from "@/server/tool-view";
import { TryItDialog } from "./try-it-dialog";

function annotationBadges(a: Record<string, unknown> | null) {
  if (!a) return null;
  return (
    <>
      {a.readOnlyHint === true ? <Badge variant="outline">read-only</Badge> : null}
      {a.destructiveHint === true ? <Badge variant="destructive">destructive</Badge> : null}
      {a.openWorldHint === true ? <Badge variant="outline">open world</Badge> : null}
    </>
  );
}

function ToolRow({ tool, projectId, role, showServer, serverHref, onTry }: { tool: ToolView; projectId: string; role: TeamRole; showServer: boolean; serverHref?: string; onTry: (t: ToolView) => void }) {
  const [open, setOpen] = useState(false);
  const toggle = useAction(setToolEnabled, { success: (t) => `Tool ${t.enabled ? "enabled" : "disabled"}` });
  const review = useAction(reviewTool, { success: (t) => (t.enabled ? "Tool approved" : "Tool rejected") });
  const dev = roleAtLeast(role, "developer");
  return (
    <div className="px-4 py-3" data-testid="tool-row" data-tool={tool.name} data-enabled={tool.enabled} data-held={tool.pendingApproval}>
      <div className="flex flex-wrap items-start gap-3">
        <button type="button" className="mt-0.5 text-muted-foreground hover:text-foreground" onClick={() => setOpen(!open)} aria-label={open ? "Hide schema" : "Show schema"} aria-expanded={open}>
          <ChevronRightIcon className={`size-4 transition-transform ${open ? "rotate-90" : ""}`} />
        </button>
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-sm font-medium">{tool.name}</span>
            {showServer ? (
              serverHref ? (
                <Link href={serverHref} className="text-xs text-muted-foreground hover:underline">
                  on {tool.serverName}
                </Link>
              ) : (
                <span className="text-xs text-muted-foreground">on {tool.serverName}</span>
              )
            ) : null}
            {tool.pendingApproval ? <Badge variant="warning">held for approval</Badge> : null}
            {!tool.serverEnabled ? <Badge variant="secondary">server disabled</Badge> : null}
            {annotationBadges(tool.annotations)}
          </div>
          {tool.title && tool.title !== tool.name ? <p className="text-sm">{tool.title}</p> : null}
          <p className="line-clamp-2 text-sm text-muted-foreground">{tool.description || "No description."}</p>
        </div>
        <div className="flex items-center gap-2">
          {tool.pendingApproval ? (
            roleAtLeast(role, "admin") ? (
              <>
                <Button size="sm" variant="outline" disabled={review.isPending} onClick={() => review.mutate({ projectId, toolId: tool.id, approve: false })}>
                  Reject
                </Button>
                <Button size="sm" disabled={review.isPending} onClick={() => review.mutate({ projectId, toolId: tool.id, approve: true })}>
                  Approve
                </Button>
              </>
            ) : null
          ) : (
            <>
              {dev ? (
                <Button size="sm" variant="ghost" disabled={!tool.enabled || !tool.serverEnabled} onClick={() => onTry(tool)} data-testid="try-it">
                  <PlayIcon />
                  Try it
                </Button>
              ) : null}
              <Switch checked={tool.enabled} disabled={!dev || toggle.isPending} onCheckedChange={(enabled) => toggle.mutate({ projectId, toolId: tool.id, enabled })} aria-label={`Enable ${tool.name}`} />
            </>
          )}
        </div>
      </div>
      {open ? (
        <div className="mt-3 grid gap-3 pl-7 md:grid-cols-2">
          <div>
            <p className="mb-1 text-xs font-medium text-muted-foreground">Input schema</p>
            <pre className="max-h-72 overflow-auto rounded-md border bg-muted/30 p-2 text-xs">{JSON.stringify(tool.inputSchema, null, 2)}</pre>
          </div>
          <div>
            <p className="mb-1 text-xs font-medium text-muted-foreground">Output schema</p>
            <pre className="max-h-72 overflow-auto rounded-md border bg-muted/30 p-2 text-xs">{tool.outputSchema ? JSON.stringify(tool.outputSchema, null, 2) : "none declared"}</pre>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** Tools with search, switches, review of held tools and try-it (per server or across the project). */
export function ToolsList({ tools, projectId, role, showServer, serverHrefs, emptyHint }: { tools: ToolView[]; projectId: string; role: TeamRole; showServer: boolean; serverHrefs?: Record<string, string>; emptyHint: string }) {
  const [q, setQ] = useState("");
  const [trying, setTrying] = useState<ToolView | null>(null);
  const filtered = useMemo(() => {
    const needle = q.trim().toLowerCase();
    if (!needle) return tools;
    return tools.filter((t) => [t.name, t.title ?? "", t.description ?? "", t.serverName].some((s) => s.toLowerCase().includes(needle)));
  }, [tools, q]);
  const held = tools.filter((t) => t.pendingApproval).length;
  if (tools.length === 0) return <EmptyState icon={WrenchIcon} title="No tools known yet" description={emptyHint} />;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <div className="relative max-w-sm flex-1">
          <SearchIcon className="absolute top-2.5 left-2.5 size-4 text-muted-foreground" />
          <Input className="pl-8" placeholder="Search tools" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Search tools" />
        </div>
        <span className="text-sm text-muted-foreground">
          {tools.filter((t) => t.enabled).length} of {tools.length} enabled{held ? ` · ${held} held for approval` : ""}
        </span>
      </div>
      {filtered.length === 0 ? (
        <EmptyState icon={SearchIcon} title="No tools match" description="Try another search." className="py-8" />
      ) : (
        <Card className="divide-y">
          {filtered.map((t) => {
            const href = serverHrefs?.[t.serverName];
            return <ToolRow key={t.id} tool={t} projectId={projectId} role={role} showServer={showServer} onTry={setTrying} {...(href ? { serverHref: href } : {})} />;
          })}
        </Card>
      )}
      {trying ? <TryItDialog projectId={projectId} tool={trying} onClose={() => setTrying(null)} /> : null}
    </div>
  );
}
