"use client";

import { CheckCircle2Icon, XCircleIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { TableCard } from "@/components/table-card";
import { TableCell, TableHead, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { useAction } from "@/lib/action-client";
import { importServers, previewImport } from "@/server/actions/servers";
import type { ImportPreview } from "@switchyard/core/services";
import { TRANSPORT_LABEL } from "./servers-table";

const PLACEHOLDER = `{
  "mcpServers": {
    "server-name": { "command": "npx", "args": ["-y", "package-name"], "env": {} }
  }
}`;

/** Paste an `mcpServers` document, preview what would be created (with per-entry problems), then import all at once. */
export function ImportServers({ projectId, serversHref }: { projectId: string; serversHref: string }) {
  const router = useRouter();
  const [json, setJson] = useState("");
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const check = useAction(previewImport, { refresh: false, onSuccess: setPreview });
  const run = useAction(importServers, {
    success: (r) => `Imported ${r.servers.length} server${r.servers.length === 1 ? "" : "s"}; checking their status now`,
    refresh: false,
    onSuccess: () => {
      router.push(serversHref);
      router.refresh();
    },
  });
  const problems = preview ? preview.entries.reduce((n, e) => n + e.errors.length, 0) : 0;
  const ready = preview && !preview.error && preview.entries.length > 0 && problems === 0;
  return (
    <div className="grid gap-4">
      <div className="grid gap-1.5">
        <Label htmlFor="mcp-json">mcpServers JSON</Label>
        <Textarea
          id="mcp-json"
          value={json}
          onChange={(e) => {
            setJson(e.target.value);
            setPreview(null);
          }}
          rows={12}
          className="font-mono text-xs"
          placeholder={PLACEHOLDER}
          spellCheck={false}
        />
        <p className="text-xs text-muted-foreground">The format of Claude Desktop, Cursor, Cline and Windsurf (VS Code&apos;s &quot;servers&quot; works too). Names are normalised to lower-case with dashes.</p>
      </div>
      <div className="flex gap-2">
        <Button variant="outline" disabled={!json.trim() || check.isPending} onClick={() => check.mutate({ projectId, json })} data-testid="preview-import">
          {check.isPending ? "Checking…" : "Preview"}
        </Button>
        <Button disabled={!ready || run.isPending} onClick={() => run.mutate({ projectId, json })} data-testid="run-import">
          {run.isPending ? "Importing…" : preview?.entries.length ? `Import ${preview.entries.length} server${preview.entries.length === 1 ? "" : "s"}` : "Import"}
        </Button>
      </div>
      {preview?.error ? (
        <Alert variant="destructive">
          <XCircleIcon />
          <AlertTitle>This is not an mcpServers document</AlertTitle>
          <AlertDescription>{preview.error}</AlertDescription>
        </Alert>
      ) : null}
      {preview && !preview.error ? (
        <>
          {problems > 0 ? (
            <Alert variant="destructive">
              <XCircleIcon />
              <AlertTitle>Fix {problems === 1 ? "this problem" : `these ${problems} problems`} first</AlertTitle>
              <AlertDescription>Nothing is imported until every entry is valid.</AlertDescription>
            </Alert>
          ) : null}
          <TableCard data-testid="import-preview"
            head={
              <>
                <TableHead>Will create</TableHead>
                <TableHead>Transport</TableHead>
                <TableHead>Runs / connects to</TableHead>
                <TableHead>Secrets</TableHead>
                <TableHead>Check</TableHead>
              </>
            }
          >
            {preview.entries.map((e) => (
              <TableRow key={e.originalName} data-testid="import-entry" data-valid={e.errors.length === 0}>
                <TableCell>
                  <p className="font-mono font-medium">{e.name || "—"}</p>
                  {e.name !== e.originalName ? <p className="text-xs text-muted-foreground">from “{e.originalName}”</p> : null}
                </TableCell>
                <TableCell>{e.transport ? TRANSPORT_LABEL[e.transport] : "—"}</TableCell>
                <TableCell className="max-w-64 truncate font-mono text-xs" title={e.target ?? ""}>
                  {e.target ?? "—"}
                </TableCell>
                <TableCell className="text-xs text-muted-foreground">
                  {[...e.envKeys.map((k) => `env ${k}`), ...e.headerKeys.map((k) => `header ${k}`)].join(", ") || "none"}
                </TableCell>
                <TableCell>
                  {e.errors.length === 0 ? (
                    <Badge variant="success">
                      <CheckCircle2Icon />
                      Ready{!e.enabled ? " (disabled)" : ""}
                    </Badge>
                  ) : (
                    <ul className="space-y-0.5 text-xs text-destructive">
                      {e.errors.map((msg) => (
                        <li key={msg}>{msg}</li>
                      ))}
                    </ul>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableCard>
        </>
      ) : null}
    </div>
  );
}
