"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { useAction } from "@/lib/action-client";
import { tryTool } from "@/server/actions/tools";
import type { ToolView } from "@/server/tool-view";
import { skeletonFor } from "./schema-skeleton";

interface ContentBlock {
  type: string;
  text?: string;
  [k: string]: unknown;
}

/** Calls the tool through the gateway as you (logged with your user) and shows the raw result. */
export function TryItDialog({ projectId, tool, onClose }: { projectId: string; tool: ToolView; onClose: () => void }) {
  const [args, setArgs] = useState(() => JSON.stringify(skeletonFor(tool.inputSchema), null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const call = useAction(tryTool, { refresh: false });
  const result = call.data?.result;
  const blocks = (result?.content ?? []) as ContentBlock[];
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle className="font-mono">{tool.name}</DialogTitle>
          <DialogDescription>Runs through the gateway&apos;s {tool.serverName} endpoint with a short-lived token for you; the call is logged under your name.</DialogDescription>
        </DialogHeader>
        <div className="grid gap-1.5">
          <Label htmlFor="try-args">Arguments (JSON)</Label>
          <Textarea id="try-args" value={args} onChange={(e) => setArgs(e.target.value)} rows={8} className="font-mono text-xs" spellCheck={false} />
          {jsonError ? <p className="text-xs text-destructive">{jsonError}</p> : null}
        </div>
        {call.isError ? <p className="rounded-md border border-destructive/30 bg-destructive/5 p-3 text-sm text-destructive">{call.error.message}</p> : null}
        {call.data ? (
          <div className="grid gap-2" data-testid="try-it-result">
            <div className="flex items-center gap-2 text-sm">
              {result?.isError ? <Badge variant="destructive">tool reported an error</Badge> : <Badge variant="success">ok</Badge>}
              <span className="text-muted-foreground">{call.data.durationMs} ms</span>
            </div>
            {blocks.map((b, i) =>
              b.type === "text" ? (
                <pre key={i} className="max-h-64 overflow-auto rounded-md border bg-muted/30 p-2 text-xs whitespace-pre-wrap">
                  {b.text}
                </pre>
              ) : (
                <pre key={i} className="max-h-64 overflow-auto rounded-md border bg-muted/30 p-2 text-xs">
                  {JSON.stringify(b, null, 2)}
                </pre>
              ),
            )}
            {result?.structuredContent ? <pre className="max-h-64 overflow-auto rounded-md border bg-muted/30 p-2 text-xs">{JSON.stringify(result.structuredContent, null, 2)}</pre> : null}
          </div>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Close
          </Button>
          <Button
            disabled={call.isPending}
            onClick={() => {
              let parsed: unknown;
              try {
                parsed = JSON.parse(args || "{}");
              } catch (e) {
                return setJsonError(`not valid JSON: ${(e as Error).message}`);
              }
              if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return setJsonError("arguments must be a JSON object");
              setJsonError(null);
              call.mutate({ projectId, serverId: tool.serverId, tool: tool.name, arguments: parsed as Record<string, unknown> });
            }}
            data-testid="run-tool"
          >
            {call.isPending ? "Calling…" : "Run"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
