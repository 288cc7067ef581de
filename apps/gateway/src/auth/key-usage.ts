/**
 * `api_keys.last_used_at` / `last_used_ip`, coalesced: requests only note the latest use in
 * memory and a timer writes one row update per used key per interval, off the request path.
 */

export type TouchKey = (projectId: string, keyId: string, at: Date, ip: string | null) => Promise<void>;

export interface KeyUsageOptions {
  write: TouchKey;
  flushIntervalMs?: number;
  onError?: (e: unknown) => void;
}

interface Use {
  projectId: string;
  at: Date;
  ip: string | null;
}

export class KeyUsage {
  private pending = new Map<string, Use>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly opts: KeyUsageOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushIntervalMs ?? 10_000);
    this.timer.unref();
  }

  touch(projectId: string, keyId: string, ip: string | null): void {
    this.pending.set(keyId, { projectId, at: new Date(), ip });
  }

  /** Writes every noted use; uses that fail stay noted (unless newer ones arrived) for the next flush. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    this.flushing = (async () => {
      let failed = false;
      for (const [keyId, use] of batch) {
        if (!failed) {
          try {
            await this.opts.write(use.projectId, keyId, use.at, use.ip);
            continue;
          } catch (e) {
            // The database is likely down: keep the rest for the next flush instead of waiting on each.
            failed = true;
            this.opts.onError?.(e);
          }
        }
        if (!this.pending.has(keyId)) this.pending.set(keyId, use);
      }
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
