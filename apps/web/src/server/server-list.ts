/** The project's server list as the servers page renders it and its polling route returns it: cached status columns only, never a probe. */
import { countHeldToolsByServer, listServers } from "@switchyard/db";
import type { WebDeps } from "./deps";
import { toServerView, type ServerView } from "./views";

export interface ServerList {
  servers: ServerView[];
  /** When the rows were read (ms since epoch): keys the client cache, so a newer read always wins over older polled data. */
  readAt: number;
}

export async function listServerViews(deps: Pick<WebDeps, "db" | "keyring">, projectId: string): Promise<ServerList> {
  const readAt = Date.now();
  const [rows, held] = await Promise.all([listServers(deps.db, projectId), countHeldToolsByServer(deps.db, projectId)]);
  return { servers: rows.map((r) => toServerView(deps.keyring, r, held.get(r.id) ?? 0)), readAt };
}
