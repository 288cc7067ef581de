import { listUsersForAdmin } from "@switchyard/db";
import type { Metadata } from "next";
import { UsersTable } from "@/components/admin/users-table";
import { PageHeader } from "@/components/page-header";
import { getDeps } from "@/server/deps";
import { requireAdmin } from "@/server/pages";

export const metadata: Metadata = { title: "Users" };

const PAGE = 50;

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const me = await requireAdmin();
  const sp = await searchParams;
  const q = sp.q?.slice(0, 200) ?? "";
  const page = Math.max(1, Number(sp.page) || 1);
  const { db } = await getDeps();
  const { items, total } = await listUsersForAdmin(db, { q, limit: PAGE, offset: (page - 1) * PAGE });
  return (
    <>
      <PageHeader title="Users" description={`${total} account${total === 1 ? "" : "s"} on this instance. Deactivating ends a user's sessions at once.`} />
      <UsersTable
        me={me.id}
        q={q}
        page={page}
        pages={Math.max(1, Math.ceil(total / PAGE))}
        users={items.map((u) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          isAdmin: u.isAdmin,
          isActive: u.isActive,
          emailVerified: u.emailVerifiedAt !== null,
          teamCount: u.teamCount,
          lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
          createdAt: u.createdAt.toISOString(),
        }))}
      />
    </>
  );
}
