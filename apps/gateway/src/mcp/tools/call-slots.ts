/**
 * Caps on tool calls running at once, per credential (API key or console user) and per project,
 * on this gateway instance: one client cannot hold every upstream busy for everyone else.
 */
export interface CallSlotLimits {
  perKey: number;
  perProject: number;
}

export class CallSlots {
  private readonly byKey = new Map<string, number>();
  private readonly byProject = new Map<string, number>();

  constructor(private readonly limits: CallSlotLimits) {}

  /** Takes a slot, or says which cap is full (then nothing is taken). */
  take(identity: string, projectId: string): { ok: true } | { ok: false; message: string } {
    if ((this.byKey.get(identity) ?? 0) >= this.limits.perKey) return { ok: false, message: `Too many concurrent calls for this credential (at most ${this.limits.perKey})` };
    if ((this.byProject.get(projectId) ?? 0) >= this.limits.perProject) return { ok: false, message: `Too many concurrent calls in this project (at most ${this.limits.perProject})` };
    bump(this.byKey, identity, 1);
    bump(this.byProject, projectId, 1);
    return { ok: true };
  }

  release(identity: string, projectId: string): void {
    bump(this.byKey, identity, -1);
    bump(this.byProject, projectId, -1);
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}
