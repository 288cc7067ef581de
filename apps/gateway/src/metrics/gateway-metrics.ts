/**
 * The gateway's Prometheus metrics, on a registry of its own (tests run several gateways in one
 * process). Counters on the call path are bound per label set once; gauges and the log writer's
 * totals are read from their sources at scrape time.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { DURATION_BUCKETS_MS, type ToolCallStatus } from "@switchyard/shared";

export interface MetricsSources {
  sessions: () => { streamable_http: number; sse: number };
  pool?: () => { upstreams: number; processes: number; openCircuits: number };
  logs?: () => { queued: number; written: number; dropped: number; spilled: number; replayed: number };
}

type BoundCounter = { inc: (n?: number) => void };
type BoundHistogram = { observe: (v: number) => void };

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly calls: Counter<"project" | "server" | "status">;
  private readonly latency: Histogram<"project" | "server">;
  private readonly rateLimitFailOpen: Counter;
  private readonly capFailOpen: Counter<"cap">;
  private readonly rateLimited: Counter;
  private readonly authFailures: Counter<"reason">;
  private readonly boundCalls = new Map<string, BoundCounter>();
  private readonly boundLatency = new Map<string, BoundHistogram>();

  constructor(sources: MetricsSources, { defaultMetrics = true } = {}) {
    const registers = [this.registry];
    this.calls = new Counter({ name: "switchyard_tool_calls_total", help: "tools/call requests by project, server and status", labelNames: ["project", "server", "status"], registers });
    this.latency = new Histogram({
      name: "switchyard_tool_call_duration_seconds",
      help: "tools/call duration at the gateway",
      labelNames: ["project", "server"],
      buckets: DURATION_BUCKETS_MS.map((ms) => ms / 1000),
      registers,
    });
    this.rateLimitFailOpen = new Counter({ name: "switchyard_rate_limit_fail_open_total", help: "requests rate-limited locally because Redis did not answer", registers });
    this.capFailOpen = new Counter({ name: "switchyard_cap_fail_open_total", help: "concurrent-call and open-session caps counted locally because Redis did not answer", labelNames: ["cap"], registers });
    this.rateLimited = new Counter({ name: "switchyard_rate_limited_total", help: "requests refused by a key's rate limit", registers });
    this.authFailures = new Counter({ name: "switchyard_auth_failures_total", help: "refused MCP requests by reason", labelNames: ["reason"], registers });
    new Gauge({
      name: "switchyard_open_sessions",
      help: "open client sessions by transport",
      labelNames: ["transport"],
      registers,
      collect() {
        const s = sources.sessions();
        this.set({ transport: "streamable_http" }, s.streamable_http);
        this.set({ transport: "sse" }, s.sse);
      },
    });
    const pool = sources.pool;
    if (pool) {
      gauge(registers, "switchyard_upstream_processes", "running upstream stdio processes", () => pool().processes);
      gauge(registers, "switchyard_upstreams", "connected upstreams", () => pool().upstreams);
      gauge(registers, "switchyard_upstream_open_circuits", "upstreams whose circuit breaker is open", () => pool().openCircuits);
    }
    const logs = sources.logs;
    if (logs) {
      gauge(registers, "switchyard_log_queue_depth", "tool call log records waiting in memory", () => logs().queued);
      total(registers, "switchyard_log_rows_written_total", "log rows written to the database", () => logs().written);
      total(registers, "switchyard_log_rows_dropped_total", "log rows lost for good", () => logs().dropped);
      total(registers, "switchyard_log_rows_spilled_total", "log rows written to the spill file", () => logs().spilled);
      total(registers, "switchyard_log_rows_replayed_total", "log rows replayed from the spill file", () => logs().replayed);
    }
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: "switchyard_gateway_" });
  }

  callFinished(projectId: string, server: string, status: ToolCallStatus, durationMs: number): void {
    const callKey = `${projectId}\0${server}\0${status}`;
    let c = this.boundCalls.get(callKey);
    if (!c) {
      c = this.calls.labels({ project: projectId, server, status });
      this.boundCalls.set(callKey, c);
    }
    c.inc();
    const latencyKey = `${projectId}\0${server}`;
    let h = this.boundLatency.get(latencyKey);
    if (!h) {
      h = this.latency.labels({ project: projectId, server });
      this.boundLatency.set(latencyKey, h);
    }
    h.observe(durationMs / 1000);
  }

  countRateLimitFailOpen(): void {
    this.rateLimitFailOpen.inc();
  }

  countCapFailOpen(cap: "calls" | "sessions"): void {
    this.capFailOpen.inc({ cap });
  }

  countRateLimited(): void {
    this.rateLimited.inc();
  }

  countAuthFailure(reason: string): void {
    this.authFailures.inc({ reason });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function gauge(registers: Registry[], name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers,
    collect() {
      this.set(read());
    },
  });
}

/** A counter whose total is kept elsewhere (the log writer's stats): set at scrape time. */
function total(registers: Registry[], name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers,
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}
