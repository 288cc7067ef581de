import { getProjectById, insertActivity, insertProject, listProjects, type Project } from "@switchyard/db";
import { AppError, notFound, slugify, slugSchema } from "@switchyard/shared";
import { z } from "zod";
import { actorUserId, type Actor, type ServiceDeps } from "../context";
import { isUniqueViolation } from "../pg-errors";

export const createProjectInputSchema = z.object({
  name: z.string().trim().min(1, "project name is required").max(100),
  slug: slugSchema.optional(),
  description: z.string().max(2_000).default(""),
});
export type CreateProjectInput = z.input<typeof createProjectInputSchema>;

/** Creates a project in `teamId`; the caller has already checked the actor may. */
export async function createProject(deps: Pick<ServiceDeps, "db">, actor: Actor, teamId: string, raw: CreateProjectInput): Promise<Project> {
  const input = createProjectInputSchema.parse(raw);
  const slug = input.slug ?? slugify(input.name);
  if (!slug) throw new AppError("invalid_input", "project name needs letters or digits to make a slug from");
  if ((await listProjects(deps.db, teamId)).some((p) => p.slug === slug)) {
    throw new AppError("conflict", `this team already has a project "${slug}"`);
  }
  try {
    return await deps.db.transaction(async (tx) => {
      const project = await insertProject(tx, teamId, { name: input.name, slug, description: input.description });
      await insertActivity(tx, {
        teamId,
        projectId: project.id,
        actorUserId: actorUserId(actor),
        type: "project.created",
        targetType: "project",
        targetId: project.id,
        summary: `Project ${project.name} created`,
      });
      return project;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `this team already has a project "${slug}"`);
    throw e;
  }
}

/** For the admin CLI and the gateway: the project by id (its own tenant id), or not found. */
export async function getProjectByIdOrThrow(deps: Pick<ServiceDeps, "db">, projectId: string): Promise<Project> {
  if (!z.uuid().safeParse(projectId).success) throw notFound("project");
  const project = await getProjectById(deps.db, projectId);
  if (!project) throw notFound("project");
  return project;
}
