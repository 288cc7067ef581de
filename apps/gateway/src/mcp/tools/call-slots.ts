/**
 * Caps on tool calls running at once, per credential (API key or console user) and per project:
 * one client cannot hold every upstream busy for everyone else. With Redis the caps count across
 * every instance (leases in ClusterCaps, renewed while a call runs); without it, or whenever Redis
 * does not answer, this instance's own count decides ("fail open locally") and the fallback is
 * counted for the metrics (docs/ARCHITECTURE.md, "Cluster-wide caps").
 */
import type { ClusterCaps } from "../caps/cluster-caps";

export interface CallSlotLimits {
  perKey: number;
  perProject: number;
}

export interface CallSlotsOptions {
  limits: CallSlotLimits;
  shared?: ClusterCaps;
  /** Names this instance's leases. */
  instanceId?: string;
  /** How long a lease outlives its last renewal (default 30 s): a killed instance's calls free up after it. */
  leaseMs?: number;
  /** Redis failed for one call and the local count decided instead. */
  onFailOpen?: (e: unknown) => void;
  onError?: (e: unknown) => void;
}

export type SlotDecision = { ok: true; slot: CallSlot } | { ok: false; message: string };

/** A taken slot: release it once, when the call is over. */
export interface CallSlot {
  release(): void;
}

interface Held {
  keys: [string, string];
  member: string;
}

export class CallSlots {
  private readonly byKey = new Map<string, number>();
  private readonly byProject = new Map<string, number>();
  /** Calls holding a cluster-wide lease, renewed by the heartbeat. */
  private readonly held = new Set<Held>();
  private readonly leaseMs: number;
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: CallSlotsOptions) {
    this.leaseMs = opts.leaseMs ?? 30_000;
  }

  /** Renews the leases of running calls every third of a lease. */
  start(): void {
    if (!this.opts.shared) return;
    this.timer ??= setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Takes a slot, or says which cap is full (then nothing is taken). Without cluster-wide caps the
   * answer comes without a promise: no async hop on the call's path.
   */
  take(identity: string, projectId: string): SlotDecision | Promise<SlotDecision> {
    const { perKey, perProject } = this.opts.limits;
    // This instance's own calls count towards the cluster's: full here is full everywhere, no round trip.
    if ((this.byKey.get(identity) ?? 0) >= perKey) return { ok: false, message: this.keyFull() };
    if ((this.byProject.get(projectId) ?? 0) >= perProject) return { ok: false, message: this.projectFull() };
    if (!this.opts.shared) return this.taken(identity, projectId, undefined);
    return this.takeShared(identity, projectId).then((shared) => {
      if (shared === "key") return { ok: false, message: this.keyFull() };
      if (shared === "project") return { ok: false, message: this.projectFull() };
      return this.taken(identity, projectId, shared);
    });
  }

  private keyFull(): string {
    return `Too many concurrent calls for this credential (at most ${this.opts.limits.perKey})`;
  }

  private projectFull(): string {
    return `Too many concurrent calls in this project (at most ${this.opts.limits.perProject})`;
  }

  private taken(identity: string, projectId: string, shared: Held | undefined): SlotDecision {
    bump(this.byKey, identity, 1);
    bump(this.byProject, projectId, 1);
    let released = false;
    return {
      ok: true,
      slot: {
        release: () => {
          if (released) return;
          released = true;
          bump(this.byKey, identity, -1);
          bump(this.byProject, projectId, -1);
          if (shared) this.releaseShared(shared);
        },
      },
    };
  }

  /** The lease taken, "key"/"project" when that cap is full cluster-wide, undefined when Redis failed. */
  private async takeShared(identity: string, projectId: string): Promise<Held | "key" | "project" | undefined> {
    const shared = this.opts.shared;
    if (!shared) return undefined;
    const held: Held = { keys: [`calls:key:${identity}`, `calls:project:${projectId}`], member: `${this.opts.instanceId ?? "local"}:${++this.sequence}` };
    try {
      const full = await shared.claim(
        [
          { key: held.keys[0], limit: this.opts.limits.perKey },
          { key: held.keys[1], limit: this.opts.limits.perProject },
        ],
        held.member,
        this.leaseMs,
      );
      if (full) return full.key === held.keys[0] ? "key" : "project";
      this.held.add(held);
      return held;
    } catch (e) {
      this.opts.onFailOpen?.(e);
      return undefined;
    }
  }

  private releaseShared(held: Held): void {
    this.held.delete(held);
    // Not awaited: the answer does not wait on Redis; a lost release runs out with its lease.
    void this.opts.shared?.release(held.keys, held.member).catch((e: unknown) => this.opts.onError?.(e));
  }

  private async renew(): Promise<void> {
    const shared = this.opts.shared;
    if (!shared || this.held.size === 0) return;
    const byKeys = new Map<string, Held[]>();
    for (const h of this.held) byKeys.set(h.keys.join("\n"), [...(byKeys.get(h.keys.join("\n")) ?? []), h]);
    await Promise.all(
      [...byKeys.values()].map((group) =>
        shared.renew(
          group[0]?.keys ?? [],
          group.map((h) => h.member),
          this.leaseMs,
        ),
      ),
    ).catch((e: unknown) => this.opts.onError?.(e));
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}
