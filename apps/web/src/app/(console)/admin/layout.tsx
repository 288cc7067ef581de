import { requireAdmin } from "@/server/pages";

/** Instance admin pages: everyone else gets the same 404 as for a page that does not exist. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return children;
}
