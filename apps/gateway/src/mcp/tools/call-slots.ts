/**
 * Caps on tool calls running at once, per credential (API key or console user) and per project:
 * one client cannot hold every upstream busy for everyone else (docs/ARCHITECTURE.md, "Cluster-wide
 * caps"). Each capped subject is a Share: the calls running here and, with Redis, the places this
 * instance has reserved of the cluster's cap (ClusterCaps.reserve). A call is decided from memory
 * while the reservation has room; only when it runs short does the call wait for one round trip
 * that reserves more (with headroom, for the calls that follow). Reservations are set to what the
 * last moments' calls needed — given back soon after the calls stop, renewed every third of a
 * lease — so an instance killed without giving them back loses them when the lease runs out.
 * Without Redis, or whenever Redis does not answer, this instance's own count decides ("fail open
 * locally") and the fallback is counted for the metrics.
 */
import type { ClusterCaps, ShareAsk } from "../caps/cluster-caps";

export interface CallSlotLimits {
  perKey: number;
  perProject: number;
}

export interface CallSlotsOptions {
  limits: CallSlotLimits;
  shared?: ClusterCaps;
  /** Names this instance's reservations. */
  instanceId?: string;
  /** How long a reservation outlives its last renewal (default 30 s): a killed instance's places free up after it. */
  leaseMs?: number;
  /** How soon places no longer needed are given back (default 100 ms). */
  settleMs?: number;
  /** Redis failed for one call and the local count decided instead. */
  onFailOpen?: (e: unknown) => void;
  onError?: (e: unknown) => void;
}

export type SlotDecision = { ok: true; slot: CallSlot } | { ok: false; message: string };

/** A taken slot: release it once, when the call is over. */
export interface CallSlot {
  release(): void;
}

/** One capped subject (a credential or a project) on this instance. */
class Share {
  used = 0;
  /** Places reserved in Redis (with Redis): calls run here while `used < allow`. */
  allow = 0;
  /** Calls taken since the last settle: none means the places kept are not needed. */
  demand = 0;
  /** The most calls running at once since the last settle: what the reservation must keep room for. */
  peak = 0;
  /** What the other instances left of the cap at the last round trip: full when the reservation reached it. */
  room = Infinity;
  /** Calls waiting for a reservation to grow. */
  waiting = 0;
  constructor(
    /** The map it lives in, by `id`: dropped from it once it holds nothing. */
    readonly home: Map<string, Share>,
    readonly id: string,
    readonly redisKey: string,
    readonly limit: number,
    readonly full: string,
  ) {}

  forgetIfIdle(): void {
    if (this.used === 0 && this.allow === 0 && this.waiting === 0) this.home.delete(this.id);
  }
}

class Slot implements CallSlot {
  private released = false;
  constructor(
    private readonly slots: CallSlots,
    private readonly key: Share,
    private readonly project: Share,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.slots.freed(this.key, this.project);
  }
}

interface Waiter {
  key: Share;
  project: Share;
  resolve: (d: SlotDecision) => void;
}

export class CallSlots {
  private readonly byKey = new Map<string, Share>();
  private readonly byProject = new Map<string, Share>();
  private readonly leaseMs: number;
  private readonly settleMs: number;
  /**
   * Headroom reserved per subject beyond the calls running: an eighth of the cap, none under 8 (a
   * small cap is shared exactly, at one round trip per call beyond the reservation).
   */
  private readonly headroom: CallSlotLimits;
  private readonly keyFull: string;
  private readonly projectFull: string;
  private waiters: Waiter[] = [];
  private pumping = false;
  /** Settles when the round trips under way are done. */
  private pumped: Promise<void> = Promise.resolve();
  private settleDue = false;
  private renewDue = false;
  private settleTimer: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: CallSlotsOptions) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.settleMs = opts.settleMs ?? 100;
    const { perKey, perProject } = opts.limits;
    this.headroom = { perKey: Math.floor(perKey / 8), perProject: Math.floor(perProject / 8) };
    this.keyFull = `Too many concurrent calls for this credential (at most ${perKey})`;
    this.projectFull = `Too many concurrent calls in this project (at most ${perProject})`;
  }

  /** Renews this instance's reservations every third of a lease. */
  start(): void {
    if (!this.opts.shared) return;
    this.timer ??= setInterval(
      () => {
        this.renewDue = true;
        this.pump();
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    this.timer.unref();
  }

  /** Stops renewing and gives back every place not in use (shutdown: the other instances get them at once). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.settleTimer);
    this.timer = this.settleTimer = undefined;
    if (!this.opts.shared) return;
    for (const map of [this.byKey, this.byProject]) for (const s of map.values()) s.demand = 0;
    this.settleDue = true;
    this.pump();
    while (this.pumping) await this.pumped;
  }

  /** Takes a slot, or says which cap is full (then nothing is taken). From memory unless a reservation runs short. */
  take(identity: string, projectId: string): SlotDecision | Promise<SlotDecision> {
    const key = this.share(this.byKey, identity, "calls:key:", this.opts.limits.perKey, this.keyFull);
    const project = this.share(this.byProject, projectId, "calls:project:", this.opts.limits.perProject, this.projectFull);
    // This instance's own calls count towards the cluster's: full here is full everywhere.
    if (key.used >= key.limit) return this.refuse(key, project, key);
    if (project.used >= project.limit) return this.refuse(key, project, project);
    if (!this.opts.shared || (key.used < key.allow && project.used < project.allow)) return this.admit(key, project);
    key.waiting++;
    project.waiting++;
    return new Promise((resolve) => {
      this.waiters.push({ key, project, resolve });
      this.pump();
    });
  }

  /** Slot.release: the call is over. */
  freed(key: Share, project: Share): void {
    key.used--;
    project.used--;
    if (!this.opts.shared) {
      key.forgetIfIdle();
      project.forgetIfIdle();
      return;
    }
    // Places kept but no longer used go back to the cluster soon (one timer for all subjects).
    if (key.used === 0 || project.used === 0 || key.allow - key.used > this.headroom.perKey || project.allow - project.used > this.headroom.perProject) this.settleSoon();
  }

  /** One timer for every subject: places kept unused are given back within `settleMs` or two. */
  private settleSoon(): void {
    if (this.settleTimer !== undefined) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      this.settleDue = true;
      this.pump();
    }, this.settleMs);
    this.settleTimer.unref();
  }

  private share(map: Map<string, Share>, id: string, prefix: string, limit: number, full: string): Share {
    let share = map.get(id);
    if (!share) map.set(id, (share = new Share(map, id, prefix + id, limit, full)));
    return share;
  }

  private admit(key: Share, project: Share): SlotDecision {
    key.used++;
    project.used++;
    key.demand++;
    project.demand++;
    if (key.used > key.peak) key.peak = key.used;
    if (project.used > project.peak) project.peak = project.used;
    return { ok: true, slot: new Slot(this, key, project) };
  }

  private refuse(key: Share, project: Share, full: Share): SlotDecision {
    key.forgetIfIdle();
    project.forgetIfIdle();
    return { ok: false, message: full.full };
  }

  /** Runs the round trips one at a time, each serving every waiting call and due settle or renewal. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    // Started a microtask later: calls taken in the same turn share the round trip.
    this.pumped = Promise.resolve()
      .then(() => this.drain())
      .catch((e: unknown) => this.opts.onError?.(e))
      .finally(() => {
        this.pumping = false;
        // Work that arrived while the last round trip was being answered.
        if (this.waiters.length > 0 || this.settleDue || this.renewDue) this.pump();
      });
  }

  private async drain(): Promise<void> {
    const shared = this.opts.shared;
    if (!shared) return;
    while (this.waiters.length > 0 || this.settleDue || this.renewDue) {
      const waiters = this.waiters;
      this.waiters = [];
      const settle = this.settleDue || this.renewDue;
      const renew = this.renewDue;
      this.settleDue = this.renewDue = false;
      const index = new Map<Share, number>();
      const asks: ShareAsk[] = [];
      const ask = (s: Share, keep: number, extra: number): number => {
        let i = index.get(s);
        if (i === undefined) {
          index.set(s, (i = asks.length));
          asks.push({ key: s.redisKey, limit: s.limit, keep, used: s.used, extra });
        }
        return i;
      };
      // Waiting calls: room for them in both their subjects (or neither), plus headroom.
      const pairs = waiters.map((w) => [ask(w.key, Math.max(w.key.allow, w.key.used), this.headroom.perKey), ask(w.project, Math.max(w.project.allow, w.project.used), this.headroom.perProject)] as const);
      // Settle: every other subject gives back what the last moments' calls did not need.
      if (settle) {
        for (const map of [this.byKey, this.byProject]) {
          const room = map === this.byKey ? this.headroom.perKey : this.headroom.perProject;
          for (const s of map.values()) {
            if (index.has(s)) continue;
            // Idle since the last settle: everything unused goes back; busy: the peak's and headroom are kept.
            const target = s.demand === 0 ? s.used : Math.max(s.used, Math.min(s.allow, s.peak + room));
            s.demand = 0;
            s.peak = s.used;
            // Headroom kept: given back at a later settle if the calls stop.
            if (target > s.used) this.settleSoon();
            if (target === s.allow && !(renew && target > 0)) {
              s.forgetIfIdle();
              continue;
            }
            // Given back at once: no call may start on places being returned.
            if (target < s.allow) s.allow = target;
            ask(s, target, 0);
          }
        }
      }
      if (asks.length === 0) {
        this.settleWaiters(waiters, undefined);
        continue;
      }
      const shares = [...index.keys()];
      let failure: unknown;
      try {
        const got = await shared.reserve(this.opts.instanceId ?? "local", asks, pairs, this.leaseMs);
        shares.forEach((s, i) => {
          const g = got[i];
          if (g) ({ mine: s.allow, room: s.room } = g);
        });
      } catch (e) {
        failure = e;
        if (waiters.length === 0) this.opts.onError?.(e);
      }
      this.settleWaiters(waiters, failure);
      for (const s of shares) s.forgetIfIdle();
    }
  }

  /** Decides the waiting calls in arrival order: admitted while the reservations have room (or, when Redis failed, by the local count). */
  private settleWaiters(waiters: Waiter[], failure: unknown): void {
    for (const w of waiters) {
      w.key.waiting--;
      w.project.waiting--;
    }
    for (const w of waiters) {
      const { key, project } = w;
      if (key.used >= key.limit) w.resolve(this.refuse(key, project, key));
      else if (project.used >= project.limit) w.resolve(this.refuse(key, project, project));
      else if (failure !== undefined) {
        this.opts.onFailOpen?.(failure);
        w.resolve(this.admit(key, project));
      } else if (key.used < key.allow && project.used < project.allow) w.resolve(this.admit(key, project));
      // Refused in Redis for the subject whose reservation reached the room the others leave.
      else w.resolve(this.refuse(key, project, key.used >= key.allow && key.allow >= key.room ? key : project.used >= project.allow ? project : key));
    }
  }
}
