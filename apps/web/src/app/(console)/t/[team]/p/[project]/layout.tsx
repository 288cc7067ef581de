import { loadProject } from "@/server/pages";

/** The project is resolved within the user's team first: any other project is a 404 below. */
export default async function ProjectLayout({ children, params }: { children: React.ReactNode; params: Promise<{ team: string; project: string }> }) {
  const p = await params;
  await loadProject(p.team, p.project);
  return children;
}
