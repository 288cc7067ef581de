/**
 * Caps on open sessions per credential and per project (docs/ARCHITECTURE.md, "Cluster-wide caps").
 * With Redis a session holds a lease in both subjects from its initialize until its end is recorded
 * (by whichever instance deletes its stored state), renewed as the store's activity is, and lasting
 * past the idle expiry, so a session left behind by a killed instance frees its place when it
 * expires. Without Redis, or when Redis does not answer, the sessions this instance holds are
 * counted instead ("fail open locally"), and the fallback is counted for the metrics.
 */
import type { ClusterCaps } from "../caps/cluster-caps";

export interface SessionCapsOptions {
  perKey: number;
  perProject: number;
  shared?: ClusterCaps;
  /** How long a lease lasts without renewal: longer than a session's idle expiry. */
  leaseMs: number;
  onFailOpen?: (e: unknown) => void;
  onError?: (e: unknown) => void;
}

/** The sessions held on this instance, counted when Redis cannot be. */
export interface LocalSessionCounts {
  countFor(identity: string): number;
  countInProject(projectId: string): number;
}

export class SessionCaps {
  constructor(private readonly opts: SessionCapsOptions) {}

  /** Takes a place for `member` (the session id, or a placeholder until it is known: see `adopt`); the refusal when a cap is full. */
  async claim(local: LocalSessionCounts, identity: string, projectId: string, member: string): Promise<string | undefined> {
    const { perKey, perProject, shared } = this.opts;
    const keyFull = `Too many open sessions for this credential (at most ${perKey}); end unused ones`;
    const projectFull = `Too many open sessions in this project (at most ${perProject})`;
    // Sessions held here are open cluster-wide too: full here is full everywhere, no round trip.
    if (local.countFor(identity) >= perKey) return keyFull;
    if (local.countInProject(projectId) >= perProject) return projectFull;
    if (!shared) return undefined;
    const [byKey, byProject] = keysOf(identity, projectId);
    try {
      const full = await shared.claim(
        [
          { key: byKey, limit: perKey },
          { key: byProject, limit: perProject },
        ],
        member,
        this.opts.leaseMs,
      );
      return full === undefined ? undefined : full.key === byKey ? keyFull : projectFull;
    } catch (e) {
      this.opts.onFailOpen?.(e);
      return undefined;
    }
  }

  /** The placeholder `from` becomes the session's id `to`. */
  adopt(identity: string, projectId: string, from: string, to: string): void {
    if (from === to) return;
    this.background((shared) => shared.swap(keysOf(identity, projectId), from, to, this.opts.leaseMs));
  }

  /** The session ended (or never opened): its place is free. */
  release(identity: string, projectId: string, member: string): void {
    this.background((shared) => shared.release(keysOf(identity, projectId), member));
  }

  /** The sessions were active: their leases last another `leaseMs`. */
  renew(identity: string, projectId: string, ids: string[]): void {
    this.background((shared) => shared.renew(keysOf(identity, projectId), ids, this.opts.leaseMs));
  }

  // Not awaited: nothing waits on Redis for these; a lost write runs out with its lease.
  private background(write: (shared: ClusterCaps) => Promise<void>): void {
    const shared = this.opts.shared;
    if (!shared) return;
    void Promise.resolve()
      .then(() => write(shared))
      .catch((e: unknown) => this.opts.onError?.(e));
  }
}

function keysOf(identity: string, projectId: string): [string, string] {
  return [`sessions:key:${identity}`, `sessions:project:${projectId}`];
}
