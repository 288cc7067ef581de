"use client";

import { roleAtLeast, type TeamRole } from "@switchyard/shared";
import { KeyRoundIcon } from "lucide-react";
import { ConfirmAction } from "@/components/row-actions";
import { EmptyState } from "@/components/states";
import { TimeAgo } from "@/components/time-ago";
import { useNow } from "@/components/use-now";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TableCard } from "@/components/table-card";
import { TableCell, TableHead, TableRow } from "@/components/ui/table";
import { useAction } from "@/lib/action-client";
import { revokeApiKey } from "@/server/actions/api-keys";

export interface KeyView {
  id: string;
  name: string;
  prefix: string;
  createdBy: string | null;
  createdById: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  rateLimitPerMinute: number | null;
}

const WEEK = 7 * 24 * 3600_000;

function KeyState({ k }: { k: KeyView }) {
  const now = useNow();
  if (k.revokedAt) return <Badge variant="secondary">Revoked</Badge>;
  if (k.expiresAt) {
    const left = new Date(k.expiresAt).getTime() - now;
    if (left <= 0) return <Badge variant="destructive">Expired</Badge>;
    if (left < WEEK)
      return (
        <Badge variant="warning" data-testid="expiry-warning">
          Expires <TimeAgo date={k.expiresAt} />
        </Badge>
      );
  }
  return <Badge variant="success">Active</Badge>;
}

export function KeysTable({ projectId, role, userId, keys }: { projectId: string; role: TeamRole; userId: string; keys: KeyView[] }) {
  const revoke = useAction(revokeApiKey, { success: "Key revoked; clients using it are disconnected" });
  if (keys.length === 0) return <EmptyState icon={KeyRoundIcon} title="No API keys" description="Create a key and paste the generated snippet into Cursor, VS Code, Cline, Claude Code or Windsurf." />;
  return (
    <TableCard
      head={
        <>
          <TableHead>Name</TableHead>
          <TableHead>Key</TableHead>
          <TableHead>State</TableHead>
          <TableHead>Created</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead className="text-right">Limit</TableHead>
          <TableHead className="w-20" />
        </>
      }
    >
      {keys.map((k) => {
        const mayRevoke = !k.revokedAt && (roleAtLeast(role, "admin") || (roleAtLeast(role, "developer") && k.createdById === userId));
        return (
          <TableRow key={k.id} data-testid="key-row" data-key-name={k.name} className={k.revokedAt ? "opacity-60" : undefined}>
            <TableCell className="font-medium">{k.name}</TableCell>
            <TableCell className="font-mono text-xs">{k.prefix}…</TableCell>
            <TableCell>
              <KeyState k={k} />
            </TableCell>
            <TableCell className="text-muted-foreground">
              <TimeAgo date={k.createdAt} />
              {k.createdBy ? <span className="block text-xs">{k.createdBy}</span> : null}
            </TableCell>
            <TableCell className="text-muted-foreground">
              <TimeAgo date={k.lastUsedAt} fallback="never" />
              {k.lastUsedIp ? <span className="block font-mono text-xs">{k.lastUsedIp}</span> : null}
            </TableCell>
            <TableCell className="text-muted-foreground">{k.expiresAt ? <TimeAgo date={k.expiresAt} /> : "never"}</TableCell>
            <TableCell className="text-right text-muted-foreground tabular-nums">{k.rateLimitPerMinute ? `${k.rateLimitPerMinute}/min` : "default"}</TableCell>
            <TableCell>
              {mayRevoke ? (
                <ConfirmAction
                  trigger={
                    <Button variant="ghost" size="sm">
                      Revoke
                    </Button>
                  }
                  title={`Revoke ${k.name}?`}
                  description="Clients using this key are refused at once and their sessions are closed. This cannot be undone."
                  confirmLabel="Revoke key"
                  action={revoke}
                  input={{ projectId, keyId: k.id }}
                />
              ) : null}
            </TableCell>
          </TableRow>
        );
      })}
    </TableCard>
  );
}
