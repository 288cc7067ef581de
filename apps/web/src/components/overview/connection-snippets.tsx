"use client";

import { KeyRoundIcon } from "lucide-react";
import Link from "next/link";
import { CodeBlock } from "@/components/code-block";
import { CopyButton } from "@/components/copy-button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { endpointUrl, SNIPPET_CLIENTS, snippet, type SnippetTransport } from "@/lib/snippets";
import { useUiStore } from "@/lib/stores/ui-store";
import { useState } from "react";

const PROJECT = "__project__";

/**
 * Copy-paste client configs for the project endpoint or one server's, over Streamable HTTP or
 * SSE. Shows a key placeholder unless a freshly created key is passed in.
 */
export function ConnectionSnippets({
  gatewayUrl,
  projectId,
  projectSlug,
  servers,
  keysHref,
  apiKey,
  fixedServer,
}: {
  gatewayUrl: string;
  projectId: string;
  projectSlug: string;
  servers: string[];
  keysHref?: string;
  apiKey?: string;
  fixedServer?: string;
}) {
  const client = useUiStore((s) => s.snippetClient);
  const transport = useUiStore((s) => s.snippetTransport);
  const setPrefs = useUiStore((s) => s.setSnippetPrefs);
  const [endpoint, setEndpoint] = useState(fixedServer ?? PROJECT);
  const serverName = endpoint === PROJECT ? undefined : endpoint;
  const url = endpointUrl(gatewayUrl, projectId, transport, serverName);
  const name = serverName ?? `switchyard-${projectSlug}`;
  return (
    <div className="space-y-3" data-testid="connection-snippets">
      <div className="flex flex-wrap items-center gap-2">
        {!fixedServer ? (
          <Select value={endpoint} onValueChange={setEndpoint}>
            <SelectTrigger className="w-56" aria-label="Endpoint">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={PROJECT}>All servers (project endpoint)</SelectItem>
              {servers.map((s) => (
                <SelectItem key={s} value={s}>
                  Only {s}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        ) : null}
        <Select value={transport} onValueChange={(v) => setPrefs({ snippetTransport: v as SnippetTransport })}>
          <SelectTrigger className="w-48" aria-label="Transport">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="streamable_http">Streamable HTTP</SelectItem>
            <SelectItem value="sse">SSE (legacy)</SelectItem>
          </SelectContent>
        </Select>
      </div>
      <div className="flex items-center gap-2 rounded-md border bg-muted/40 px-3 py-2">
        <code className="min-w-0 flex-1 truncate text-xs" data-testid="endpoint-url">
          {url}
        </code>
        <CopyButton value={url} label="Copy URL" />
      </div>
      <Tabs value={SNIPPET_CLIENTS.some((c) => c.id === client) ? client : "cursor"} onValueChange={(v) => setPrefs({ snippetClient: v })}>
        <TabsList>
          {SNIPPET_CLIENTS.map((c) => (
            <TabsTrigger key={c.id} value={c.id}>
              {c.label}
            </TabsTrigger>
          ))}
        </TabsList>
        {SNIPPET_CLIENTS.map((c) => (
          <TabsContent key={c.id} value={c.id}>
            <CodeBlock label={c.file} code={snippet(c.id, { name, url, transport, ...(apiKey ? { apiKey } : {}) })} />
          </TabsContent>
        ))}
      </Tabs>
      {!apiKey && keysHref ? (
        <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
          <KeyRoundIcon className="size-3.5" />
          Replace &lt;YOUR_API_KEY&gt; with a project key.{" "}
          <Link href={keysHref} className="font-medium text-foreground underline-offset-4 hover:underline">
            Create an API key
          </Link>
        </p>
      ) : null}
    </div>
  );
}
