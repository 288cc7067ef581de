"use server";

import { createProject as createProjectService, deleteProject as deleteProjectService, updateProjectSettings as updateProjectSettingsService } from "@switchyard/core/services";
import { z } from "zod";
import { createProjectSchema, projectSettingsFormSchema } from "@/lib/schemas";
import { action } from "../action";

export const createProject = action.team({
  name: "projects.create",
  role: "admin",
  input: createProjectSchema,
  handler: async ({ deps, actor, team }, input) => {
    const project = await createProjectService(deps, actor, team.id, { name: input.name, description: input.description });
    return { id: project.id, slug: project.slug };
  },
});

export const updateProjectSettings = action.project({
  name: "projects.updateSettings",
  role: "admin",
  input: projectSettingsFormSchema,
  handler: async ({ deps, actor, project }, { projectId: _id, ...settings }) => {
    const updated = await updateProjectSettingsService(deps, actor, project, settings);
    return { slug: updated.slug };
  },
});

export const deleteProject = action.project({
  name: "projects.delete",
  role: "admin",
  input: z.object({ projectId: z.uuid(), confirmName: z.string() }),
  handler: async ({ deps, actor, project }, input) => {
    await deleteProjectService(deps, actor, project, input.confirmName);
    return { deleted: true };
  },
});
