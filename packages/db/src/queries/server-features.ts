/**
 * The cached prompt, resource and template catalogue of servers (`server_features`): the status
 * refresh replaces a server's row with what it listed; a gateway that had to list a never-listed
 * server live records its first row (a row the refresh wrote first wins).
 */
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { serverFeatures, type FeaturePage } from "../schema";

export type { FeaturePage } from "../schema";

export interface FeatureLists {
  prompts: FeaturePage[];
  resources: FeaturePage[];
  resourceTemplates: FeaturePage[];
}

export type ServerFeatureRow = FeatureLists & { serverId: string };

/** Every listed server of the project. */
export async function listProjectFeatures(db: Executor, projectId: string): Promise<ServerFeatureRow[]> {
  return db
    .select({ serverId: serverFeatures.serverId, prompts: serverFeatures.prompts, resources: serverFeatures.resources, resourceTemplates: serverFeatures.resourceTemplates })
    .from(serverFeatures)
    .where(eq(serverFeatures.projectId, projectId))
    .orderBy(asc(serverFeatures.serverId));
}

/** One server's row; undefined when it was never listed. */
export async function getServerFeatures(db: Executor, projectId: string, serverId: string): Promise<FeatureLists | undefined> {
  const [row] = await db
    .select({ prompts: serverFeatures.prompts, resources: serverFeatures.resources, resourceTemplates: serverFeatures.resourceTemplates })
    .from(serverFeatures)
    .where(and(eq(serverFeatures.projectId, projectId), eq(serverFeatures.serverId, serverId)));
  return row;
}

/** The refresh's write: the server's catalogue is what it just listed. */
export async function upsertServerFeatures(db: Executor, projectId: string, serverId: string, catalogue: FeatureLists, listedAt: Date): Promise<void> {
  await db
    .insert(serverFeatures)
    .values({ projectId, serverId, ...catalogue, listedAt })
    .onConflictDoUpdate({ target: serverFeatures.serverId, set: { ...catalogue, listedAt }, setWhere: eq(serverFeatures.projectId, projectId) });
}

/** A gateway's live first listing; true when it was recorded (no row existed). */
export async function insertDiscoveredServerFeatures(db: Executor, projectId: string, serverId: string, catalogue: FeatureLists, listedAt: Date): Promise<boolean> {
  const rows = await db
    .insert(serverFeatures)
    .values({ projectId, serverId, ...catalogue, listedAt })
    .onConflictDoNothing({ target: serverFeatures.serverId })
    .returning({ id: serverFeatures.id });
  return rows.length > 0;
}
