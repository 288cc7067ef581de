/**
 * Where the portable state of open sessions lives: the `gateway_sessions` table (docs/ARCHITECTURE.md,
 * "Sessions across instances"). Written when a session opens and when its log level, subscriptions
 * or stream owner change; read by an instance that gets a request for a session it does not hold;
 * deleted when the session ends — whoever deletes the row records the end, so it is recorded once.
 */
import {
  deleteGatewaySession,
  deleteGatewaySessionsOf,
  deleteIdleGatewaySessions,
  getGatewaySession,
  insertGatewaySession,
  listSessionsStreamingElsewhere,
  releaseGatewaySessionStream,
  touchGatewaySessions,
  updateGatewaySession,
  type Database,
  type GatewaySessionPatch,
  type GatewaySessionRow,
} from "@switchyard/db";
import { LoggingLevelSchema, type LoggingLevel } from "@modelcontextprotocol/sdk/types.js";
import { CLIENT_TRANSPORTS, CLIENT_TYPES } from "@switchyard/shared";
import { z } from "zod";

const stateSchema = z.object({
  v: z.literal(1),
  transport: z.enum(CLIENT_TRANSPORTS),
  serverName: z.string().nullable(),
  serverId: z.string().nullable(),
  clientType: z.enum(CLIENT_TYPES),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  startedAt: z.iso.datetime(),
  /** What initialize settled (absent for a legacy SSE session until its initialize). */
  handshake: z
    .object({
      protocolVersion: z.string(),
      clientInfo: z.looseObject({ name: z.string(), version: z.string() }),
      capabilities: z.looseObject({}),
    })
    .optional(),
  /** What the endpoint declared to the client at initialize: a rebuilt server declares the same. */
  declared: z.looseObject({}),
});

export type PortableState = z.infer<typeof stateSchema>;

export interface StoredSession {
  id: string;
  projectId: string;
  identity: string;
  state: PortableState;
  logLevel: LoggingLevel | undefined;
  subscriptions: string[];
  streamOwner: string | null;
}

export class SessionStore {
  constructor(private readonly db: Database) {}

  async save(row: { id: string; projectId: string; identity: string; state: PortableState; streamOwner: string | null }): Promise<void> {
    await insertGatewaySession(this.db, row);
  }

  /** The session as stored, or undefined when it is unknown, ended, or its row is unreadable. */
  async load(projectId: string, id: string): Promise<StoredSession | undefined> {
    const row = await getGatewaySession(this.db, projectId, id);
    return row ? parse(row) : undefined;
  }

  update(projectId: string, id: string, patch: GatewaySessionPatch): Promise<boolean> {
    return updateGatewaySession(this.db, projectId, id, patch);
  }

  releaseStream(projectId: string, id: string, owner: string): Promise<void> {
    return releaseGatewaySessionStream(this.db, projectId, id, owner);
  }

  touch(projectId: string, ids: string[]): Promise<void> {
    return touchGatewaySessions(this.db, projectId, ids);
  }

  /** Deletes the session; its state if it was there (whoever gets it records the end). */
  async delete(projectId: string, id: string): Promise<StoredSession | undefined> {
    const row = await deleteGatewaySession(this.db, projectId, id);
    return row ? parse(row) : undefined;
  }

  async deleteOf(projectId: string, identity: string): Promise<StoredSession[]> {
    return (await deleteGatewaySessionsOf(this.db, projectId, identity)).flatMap((r) => parse(r) ?? []);
  }

  /** The project's sessions whose stream another instance than `me` holds. */
  async streamingElsewhere(projectId: string, me: string): Promise<StoredSession[]> {
    return (await listSessionsStreamingElsewhere(this.db, projectId, me)).flatMap((r) => parse(r) ?? []);
  }

  async deleteIdle(before: Date): Promise<StoredSession[]> {
    return (await deleteIdleGatewaySessions(this.db, before)).flatMap((r) => parse(r) ?? []);
  }
}

function parse(row: GatewaySessionRow): StoredSession | undefined {
  const state = stateSchema.safeParse(row.state);
  if (!state.success) return undefined;
  const level = LoggingLevelSchema.safeParse(row.logLevel);
  return {
    id: row.id,
    projectId: row.projectId,
    identity: row.identity,
    state: state.data,
    logLevel: level.success ? level.data : undefined,
    subscriptions: row.subscriptions,
    streamOwner: row.streamOwner,
  };
}
