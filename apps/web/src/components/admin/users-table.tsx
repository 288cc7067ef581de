"use client";

import { SearchIcon, UsersIcon } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { EmptyState } from "@/components/states";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import { TableCard } from "@/components/table-card";
import { TableCell, TableHead, TableRow } from "@/components/ui/table";
import { useAction } from "@/lib/action-client";
import { setUserActive, setUserAdmin, verificationLink } from "@/server/actions/admin";

export interface AdminUserView {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  isActive: boolean;
  emailVerified: boolean;
  teamCount: number;
  lastLoginAt: string | null;
  createdAt: string;
}

export function UsersTable({ me, users, q, page, pages }: { me: string; users: AdminUserView[]; q: string; page: number; pages: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const [search, setSearch] = useState(q);
  const active = useAction(setUserActive, { success: (u) => (u.isActive ? "User reactivated" : "User deactivated; their sessions ended") });
  const admin = useAction(setUserAdmin, { success: (u) => (u.isAdmin ? "Made instance admin" : "Admin flag removed") });
  // Without SMTP the link only reaches the server log: an admin can hand a fresh one to the user.
  const [links, setLinks] = useState<Record<string, string>>({});
  const link = useAction(verificationLink, { success: "New verification link (the previous one stops working)", onSuccess: (r) => setLinks((l) => ({ ...l, [r.userId]: r.link })) });
  const href = (p: number) => `${pathname}?${new URLSearchParams({ ...(q ? { q } : {}), ...(p > 1 ? { page: String(p) } : {}) }).toString()}`;
  return (
    <div className="space-y-4">
      <form
        className="relative max-w-sm"
        onSubmit={(e) => {
          e.preventDefault();
          router.replace(`${pathname}${search.trim() ? `?q=${encodeURIComponent(search.trim())}` : ""}`);
        }}
      >
        <SearchIcon className="absolute top-2.5 left-2.5 size-4 text-muted-foreground" />
        <Input className="pl-8" placeholder="Search by email or name, then Enter" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search users" />
      </form>
      {users.length === 0 ? (
        <EmptyState icon={UsersIcon} title={q ? "No users match" : "No users"} description={q ? "Try another search." : undefined} />
      ) : (
        <TableCard
          head={
            <>
              <TableHead>User</TableHead>
              <TableHead className="text-right">Teams</TableHead>
              <TableHead>Last sign-in</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Active</TableHead>
              <TableHead>Instance admin</TableHead>
            </>
          }
        >
          {users.map((u) => (
            <TableRow key={u.id} data-testid="admin-user-row" data-email={u.email}>
              <TableCell>
                <p className="font-medium">
                  {u.name} {u.id === me ? <span className="text-muted-foreground">(you)</span> : null}
                </p>
                <p className="text-xs text-muted-foreground">{u.email}</p>
                {!u.emailVerified ? (
                  <div className="mt-1 flex items-center gap-2">
                    <Badge variant="secondary">Email unverified</Badge>
                    <Button variant="link" size="sm" className="h-auto p-0" disabled={link.isPending} onClick={() => link.mutate({ userId: u.id })}>
                      Verification link
                    </Button>
                  </div>
                ) : null}
                {links[u.id] ? (
                  <code className="mt-1 block break-all text-xs" data-testid="verification-link">
                    {links[u.id]}
                  </code>
                ) : null}
              </TableCell>
              <TableCell className="text-right tabular-nums">{u.teamCount}</TableCell>
              <TableCell className="text-muted-foreground">
                <TimeAgo date={u.lastLoginAt} fallback="never" />
              </TableCell>
              <TableCell className="text-muted-foreground">
                <TimeAgo date={u.createdAt} />
              </TableCell>
              <TableCell>
                <div className="flex items-center gap-2">
                  <Switch checked={u.isActive} disabled={u.id === me || active.isPending} onCheckedChange={(v) => active.mutate({ userId: u.id, active: v })} aria-label={`Active: ${u.email}`} />
                  {!u.isActive ? <Badge variant="secondary">Deactivated</Badge> : null}
                </div>
              </TableCell>
              <TableCell>
                <Switch checked={u.isAdmin} disabled={u.id === me || admin.isPending} onCheckedChange={(v) => admin.mutate({ userId: u.id, isAdmin: v })} aria-label={`Admin: ${u.email}`} />
              </TableCell>
            </TableRow>
          ))}
        </TableCard>
      )}
      {pages > 1 ? (
        <div className="flex items-center justify-end gap-2 text-sm">
          <span className="text-muted-foreground">
            Page {page} of {pages}
          </span>
          <Button asChild variant="outline" size="sm" disabled={page <= 1}>
            <Link href={href(Math.max(1, page - 1))}>Previous</Link>
          </Button>
          <Button asChild variant="outline" size="sm" disabled={page >= pages}>
            <Link href={href(Math.min(pages, page + 1))}>Next</Link>
          </Button>
        </div>
      ) : null}
    </div>
  );
}
