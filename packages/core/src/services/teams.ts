import { getTeamBySlug, getUserByEmail, getUserById, insertActivity, insertMember, insertTeam, type Team } from "@switchyard/db";
import { AppError, slugify, slugSchema } from "@switchyard/shared";
import { z } from "zod";
import { actorUserId, type Actor, type ServiceDeps } from "../context";
import { isUniqueViolation } from "../pg-errors";

export const createTeamInputSchema = z.object({
  name: z.string().trim().min(1, "team name is required").max(100),
  slug: slugSchema.optional(),
  /** Owner by user id or email. */
  owner: z.string().min(1, "an owner is required"),
});
export type CreateTeamInput = z.input<typeof createTeamInputSchema>;

export async function createTeam(deps: Pick<ServiceDeps, "db">, actor: Actor, raw: CreateTeamInput): Promise<Team> {
  const input = createTeamInputSchema.parse(raw);
  const owner = input.owner.includes("@") ? await getUserByEmail(deps.db, input.owner) : await getUserById(deps.db, input.owner).catch(() => undefined);
  if (!owner) throw new AppError("not_found", `no user ${input.owner}`);
  const slug = input.slug ?? slugify(input.name);
  if (!slug) throw new AppError("invalid_input", "team name needs letters or digits to make a slug from");
  if (await getTeamBySlug(deps.db, slug)) throw new AppError("conflict", `a team with slug "${slug}" already exists`);
  try {
    return await deps.db.transaction(async (tx) => {
      const team = await insertTeam(tx, { name: input.name, slug });
      await insertMember(tx, team.id, owner.id, "owner");
      await insertActivity(tx, {
        teamId: team.id,
        actorUserId: actorUserId(actor) ?? owner.id,
        type: "team.created",
        targetType: "team",
        targetId: team.id,
        summary: `Team ${team.name} created with owner ${owner.email}`,
        metadata: { slug },
      });
      return team;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", `a team with slug "${slug}" already exists`);
    throw e;
  }
}
