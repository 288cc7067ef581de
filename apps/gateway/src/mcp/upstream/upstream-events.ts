/**
 * The `server_events` rows the pool writes: startup, restart, exit, crash, circuit state and child
 * stderr (each server's lines through a token bucket). Every row is scrubbed first — the server's
 * secrets and anything credential-shaped — since every member of the team reads them. Recording
 * is fire-and-forget and can never fail a call.
 */
import { serverShownSecrets } from "@switchyard/core/servers";
import type { UpstreamConnection, UpstreamExit } from "@switchyard/core/upstream";
import { createPayloadScrubber, isAppError, type EventLevel, type PayloadScrubber, type ServerConfig, type ServerEventCategory } from "@switchyard/shared";
import { LineBudget } from "./line-budget";
import { CLOSE_REASON_TEXT, type UpstreamSlot } from "./upstream-slot";

export interface ServerEventInput {
  projectId: string;
  serverId: string;
  level: EventLevel;
  category: ServerEventCategory;
  message: string;
  details?: Record<string, unknown>;
}

const CREDENTIALS_ONLY = createPayloadScrubber({ secrets: [], rules: [], credentials: true });

export class UpstreamEvents {
  private readonly budgets = new Map<string, LineBudget>();
  private readonly scrubbers = new WeakMap<UpstreamSlot, PayloadScrubber>();

  constructor(private readonly record: (e: ServerEventInput) => void) {}

  /** The scrubber for a slot's events, compiled once from the config it starts with. */
  track(slot: UpstreamSlot, config: ServerConfig): PayloadScrubber {
    const scrub = createPayloadScrubber({ secrets: serverShownSecrets(config), rules: [], credentials: true });
    this.scrubbers.set(slot, scrub);
    return scrub;
  }

  /** Scrubs text about a slot that leaves the pool (a start failure told to the caller). */
  scrubText(slot: UpstreamSlot, text: string): string {
    return (this.scrubbers.get(slot) ?? CREDENTIALS_ONLY)(text) as string;
  }

  started(slot: UpstreamSlot, conn: UpstreamConnection, afterCrash: boolean, connectMs: number): void {
    const what = conn.pid ? `started (pid ${conn.pid})` : `connected over ${conn.transportKind}`;
    this.emit(slot, afterCrash ? "restart" : "startup", "info", afterCrash ? `${what} after a crash` : what, {
      ...details(slot),
      transport: conn.transportKind,
      serverInfo: conn.serverInfo.name,
      serverVersion: conn.serverInfo.version,
      protocolVersion: conn.serverInfo.protocolVersion,
      connectMs,
    });
  }

  failedToStart(slot: UpstreamSlot, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.emit(slot, "startup", "error", `failed to start: ${message}`, { ...details(slot), ...(isAppError(error) && error.details ? { error: error.details } : {}) });
  }

  exited(slot: UpstreamSlot): void {
    this.emit(slot, "exit", "info", CLOSE_REASON_TEXT[slot.closeReason ?? "shutdown"], details(slot));
  }

  crashed(slot: UpstreamSlot, exit: UpstreamExit): void {
    this.emit(slot, "crash", "error", "exited unexpectedly", { ...details(slot), inflight: slot.inflight, stderrTail: exit.stderrTail });
  }

  circuitOpened(slot: UpstreamSlot, failures: number, cooldownMs: number): void {
    const seconds = Math.round(cooldownMs / 1000);
    this.emit(slot, "restart", "error", `circuit open after ${failures} consecutive failures of ${slot.label}: calls fail fast for ${seconds} s, then a probe starts it again`, { failures });
  }

  stderr(slot: UpstreamSlot, line: string): void {
    const key = `${slot.projectId}:${slot.serverId}`;
    let budget = this.budgets.get(key);
    if (!budget) this.budgets.set(key, (budget = new LineBudget()));
    const dropped = budget.take();
    if (dropped === null) return;
    this.emit(slot, "stderr", "info", line, { ...details(slot), ...(dropped > 0 ? { droppedLines: dropped } : {}) });
  }

  /** Forgets a server's stderr budget (nothing of it runs any more). */
  forget(projectId: string, serverId: string): void {
    this.budgets.delete(`${projectId}:${serverId}`);
  }

  private emit(slot: UpstreamSlot, category: ServerEventCategory, level: EventLevel, message: string, extra: Record<string, unknown>): void {
    try {
      const scrub = this.scrubbers.get(slot) ?? CREDENTIALS_ONLY;
      this.record({ projectId: slot.projectId, serverId: slot.serverId, level, category, message: scrub(message) as string, details: scrub(extra) as Record<string, unknown> });
    } catch {
      // Fire-and-forget: a failing recorder never fails a call.
    }
  }
}

function details(slot: UpstreamSlot): Record<string, unknown> {
  return { ...(slot.conn?.pid ? { pid: slot.conn.pid } : {}), ...(slot.sessionId ? { sessionId: slot.sessionId } : {}) };
}
