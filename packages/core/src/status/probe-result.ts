/** What probing one server yields, and how that maps onto the cached status of docs/ARCHITECTURE.md. */
import type { FeatureLists, McpServer, ServerToolDefinition } from "@switchyard/db";
import type { ServerInfo, ServerStatus } from "@switchyard/shared";

export type ProbeResult =
  | {
      ok: true;
      serverInfo: ServerInfo;
      tools: ServerToolDefinition[];
      /** False when a later `tools/list` page failed: the catalogue is partial, nothing may be marked gone. */
      complete: boolean;
      /** Why the catalogue is partial. */
      listError?: string;
      /** Prompts, resources and templates in the upstream's pages; absent when listing them failed (the last ones stand). */
      features?: FeatureLists;
      latencyMs: number;
    }
  | {
      ok: false;
      /** `connect`: spawn / transport / `initialize` failed or timed out. `list`: connected, then `tools/list` failed. */
      stage: "connect" | "list";
      error: string;
      serverInfo?: ServerInfo;
      latencyMs: number;
    };

export interface ProbeTimeouts {
  /** Spawn or connect plus `initialize`. */
  connectTimeoutMs: number;
  /** `tools/list` (all pages together). */
  callTimeoutMs: number;
}

export interface ProbeHooks {
  /** The probe is the server's first start on this machine and installs its package first. */
  onInstalling?: () => void;
}

/** Probes one server; never throws (a failure is a result). */
export type ServerProbe = (server: McpServer, timeouts: ProbeTimeouts, hooks?: ProbeHooks) => Promise<ProbeResult>;

export interface Classification {
  status: Exclude<ServerStatus, "unknown" | "installing">;
  error: string | null;
}

/**
 * online: answered fully within `slowMs`. degraded: answered, but slowly or only partly.
 * offline: could not connect or initialize. error: connected, then broke the protocol.
 */
export function classifyProbe(result: ProbeResult, slowMs: number): Classification {
  if (!result.ok) return { status: result.stage === "connect" ? "offline" : "error", error: result.error };
  if (!result.complete) return { status: "degraded", error: `partial tool list: ${result.listError ?? "a later page failed"}` };
  if (result.latencyMs > slowMs) return { status: "degraded", error: `slow: answered in ${result.latencyMs} ms (threshold ${slowMs} ms)` };
  return { status: "online", error: null };
}
