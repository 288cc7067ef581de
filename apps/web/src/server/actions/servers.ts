"use server";

import {
  createServer as createServerService,
  deleteServer as deleteServerService,
  importServers as importServersService,
  previewServerImport,
  setServerEnabled as setServerEnabledService,
  updateServer as updateServerService,
} from "@switchyard/core/services";
import { requestProjectRefresh, requestServerRefresh } from "@switchyard/core/queues";
import { z } from "zod";
import { importServersSchema, serverFormSchema, updateServerFormSchema } from "@/lib/schemas";
import { action } from "../action";

export const createServer = action.project({
  name: "servers.create",
  role: "developer",
  input: serverFormSchema,
  handler: async ({ deps, actor, project }, input) => {
    const server = await createServerService(deps, actor, project, input.config);
    return { id: server.id, name: server.name };
  },
});

/** What an import would create, entry by entry, with every problem — nothing is written. */
export const previewImport = action.project({
  name: "servers.previewImport",
  role: "developer",
  input: importServersSchema,
  handler: async ({ deps, actor, project }, input) => previewServerImport(deps, actor, project.id, input.json),
});

export const importServers = action.project({
  name: "servers.import",
  role: "developer",
  input: importServersSchema,
  handler: async ({ deps, actor, project }, input) => {
    const { servers } = await importServersService(deps, actor, project, input.json);
    return { servers: servers.map((s) => ({ id: s.id, name: s.name })) };
  },
});

export const updateServer = action.project({
  name: "servers.update",
  role: "developer",
  input: updateServerFormSchema,
  handler: async ({ deps, actor, project }, input) => {
    const server = await updateServerService(deps, actor, project, input.serverId, input.config);
    return { id: server.id, name: server.name };
  },
});

export const setServerEnabled = action.project({
  name: "servers.setEnabled",
  role: "developer",
  input: z.object({ projectId: z.uuid(), serverId: z.uuid(), enabled: z.boolean() }),
  handler: async ({ deps, actor, project }, input) => {
    const server = await setServerEnabledService(deps, actor, project, input.serverId, input.enabled);
    return { id: server.id, enabled: server.enabled };
  },
});

export const deleteServer = action.project({
  name: "servers.delete",
  role: "developer",
  input: z.object({ projectId: z.uuid(), serverId: z.uuid() }),
  handler: async ({ deps, actor, project }, input) => {
    const server = await deleteServerService(deps, actor, project, input.serverId);
    return { id: server.id, name: server.name };
  },
});

/** Queues a status refresh of one server; the page polls the job for progress. */
export const refreshServer = action.project({
  name: "servers.refresh",
  role: "developer",
  input: z.object({ projectId: z.uuid(), serverId: z.uuid() }),
  handler: async ({ deps, project }, input) => requestServerRefresh({ db: deps.db, queues: deps.queues() }, project.id, input.serverId),
});

/** Queues a status refresh of every enabled server of the project. */
export const refreshProject = action.project({
  name: "servers.refreshAll",
  role: "developer",
  input: z.object({ projectId: z.uuid() }),
  handler: async ({ deps, project }) => requestProjectRefresh({ queues: deps.queues() }, project.id),
});
