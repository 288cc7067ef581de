import { loadTeam } from "@/server/pages";

/** Resolves the team through the user's membership first: a foreign or unknown slug is a 404 for every page below. */
export default async function TeamLayout({ children, params }: { children: React.ReactNode; params: Promise<{ team: string }> }) {
  await loadTeam((await params).team);
  return children;
}
