import { and, asc, eq } from "drizzle-orm";
import { notFound } from "@switchyard/shared";
import type { Executor } from "../client";
import { projects, teamMembers } from "../schema";

export type Project = typeof projects.$inferSelect;
export type NewProject = Omit<typeof projects.$inferInsert, "id" | "teamId" | "createdAt" | "updatedAt">;
export type ProjectPatch = Partial<NewProject>;

export async function insertProject(db: Executor, teamId: string, values: NewProject): Promise<Project> {
  const [row] = await db
    .insert(projects)
    .values({ ...values, teamId })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function listProjects(db: Executor, teamId: string): Promise<Project[]> {
  return db.query.projects.findMany({ where: eq(projects.teamId, teamId), orderBy: asc(projects.name) });
}

export async function getProject(db: Executor, teamId: string, projectId: string): Promise<Project | undefined> {
  return db.query.projects.findFirst({ where: and(eq(projects.teamId, teamId), eq(projects.id, projectId)) });
}

export async function getProjectOrThrow(db: Executor, teamId: string, projectId: string): Promise<Project> {
  const project = await getProject(db, teamId, projectId);
  if (!project) throw notFound("project");
  return project;
}

/** By the project's own id: the tenant id itself (gateway URLs and the admin CLI). */
export async function getProjectById(db: Executor, projectId: string): Promise<Project | undefined> {
  return db.query.projects.findFirst({ where: eq(projects.id, projectId) });
}

/** The project if `userId` is a member of its team, with the member's role. */
export async function getProjectForUser(
  db: Executor,
  userId: string,
  projectId: string,
): Promise<(Project & { role: (typeof teamMembers.$inferSelect)["role"] }) | undefined> {
  const [row] = await db
    .select({ project: projects, role: teamMembers.role })
    .from(projects)
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, projects.teamId), eq(teamMembers.userId, userId)))
    .where(eq(projects.id, projectId));
  return row ? { ...row.project, role: row.role } : undefined;
}

export async function updateProject(db: Executor, teamId: string, projectId: string, patch: ProjectPatch): Promise<Project | undefined> {
  const [row] = await db
    .update(projects)
    .set(patch)
    .where(and(eq(projects.teamId, teamId), eq(projects.id, projectId)))
    .returning();
  return row;
}

export async function deleteProject(db: Executor, teamId: string, projectId: string): Promise<boolean> {
  const rows = await db
    .delete(projects)
    .where(and(eq(projects.teamId, teamId), eq(projects.id, projectId)))
    .returning({ id: projects.id });
  return rows.length > 0;
}
