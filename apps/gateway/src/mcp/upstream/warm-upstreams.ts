/**
 * A starting gateway starts the shared upstreams that had calls recently, so the first calls after
 * a restart or deploy find them running instead of waiting for a cold start (a package runner's
 * first start can take longer than a client's timeout). Failures only cost the warm-up: the first
 * call starts the upstream again as usual.
 */
import type { UpstreamPoolPort } from "../ports";

export type RecentServers = (since: Date, limit: number) => Promise<{ projectId: string; serverId: string }[]>;

/** The pool's calls want a session id; a shared upstream serves every session alike. */
const WARMING = "warming";
const MAX_SERVERS = 20;
/** Started a few at a time: a boot should not fork every child at once on a small machine. */
const AT_ONCE = 4;

/** Resolves with how many upstreams are running after the warm-up. */
export async function warmUpstreams(pool: Pick<UpstreamPoolPort, "serverInfo">, recent: RecentServers, windowMs: number, onError: (e: unknown) => void): Promise<number> {
  let servers: { projectId: string; serverId: string }[];
  try {
    servers = await recent(new Date(Date.now() - windowMs), MAX_SERVERS);
  } catch (e) {
    onError(e);
    return 0;
  }
  let started = 0;
  const queue = [...servers];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const ok = await pool.serverInfo({ ...next, sessionId: WARMING }).then(
        () => true,
        () => false,
      );
      if (ok) started++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, servers.length) }, worker));
  return started;
}
