"use server";

import { createTeam as createTeamService, deleteTeam as deleteTeamService, updateTeamSettings } from "@switchyard/core/services";
import { z } from "zod";
import { createTeamSchema, updateTeamSchema } from "@/lib/schemas";
import { action } from "../action";

/** Any signed-in user may create a team; they become its owner. */
export const createTeam = action.user({
  name: "teams.create",
  input: createTeamSchema,
  handler: async ({ deps, actor, user }, input) => {
    const team = await createTeamService(deps, actor, { name: input.name, owner: user.id });
    return { id: team.id, slug: team.slug };
  },
});

export const updateTeam = action.team({
  name: "teams.update",
  role: "admin",
  input: updateTeamSchema,
  handler: async ({ deps, actor, team }, input) => {
    const updated = await updateTeamSettings(deps, actor, team, { name: input.name, slug: input.slug });
    return { slug: updated.slug };
  },
});

export const deleteTeam = action.team({
  name: "teams.delete",
  role: "owner",
  input: z.object({ teamId: z.uuid(), confirmSlug: z.string() }),
  handler: async ({ deps, actor, team }, input) => {
    await deleteTeamService(deps, actor, team, input.confirmSlug);
    return { deleted: true };
  },
});
