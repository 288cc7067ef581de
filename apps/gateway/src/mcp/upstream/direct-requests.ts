/**
 * The hot path's requests to an upstream: sent straight over the transport the SDK `Client` owns,
 * beside the Client's own traffic (initialize, lists, notifications), with our own ids (strings,
 * `sy-N`, never the Client's numbers) and our own stop handling. The SDK's `request()` adds per
 * call an abort listener that is never removed, a timer even when no timeout is wanted and a
 * result schema parse; with the pool's timeout and cancellation already ours, that is CPU the
 * gateway's busiest path does not need.
 *
 * Responses to our ids are taken off the transport before the Client sees them; everything else
 * (its responses, notifications, server requests) goes on to the Client unchanged. When the
 * connection closes, pending calls fail as the SDK's do (ConnectionClosed, "Connection closed").
 *
 * To a stdio child, the requests of one turn of the event loop go in one write: its stdin is
 * corked at the turn's first request and uncorked once the turn's I/O callbacks have run (one
 * setImmediate per turn, not per call), so 50 sessions calling at once cost a few pipe writes
 * instead of 50. The SDK keeps the child in `_process` (pinned by sdk-contract.test.ts).
 */
import type { ChildProcess } from "node:child_process";
import type { Writable } from "node:stream";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { McpError, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { JSONRPC } from "../jsonrpc-errors";

/** One request in flight: its promise's settlers, kept in one object (no per-call closures beyond the promise's). */
class Pending {
  resolve!: (result: unknown) => void;
  reject!: (error: unknown) => void;
  readonly result = new Promise<unknown>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
}

export interface DirectRequest {
  /** Settles with the upstream's `result`, or rejects with its error (an McpError) or a transport failure. */
  result: Promise<unknown>;
  /** Gives up on the request: `notifications/cancelled` goes upstream and `result` rejects with `reason`. */
  cancel: (reason: Error) => void;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

export class DirectRequests {
  private next = 1;
  private readonly pending = new Map<string, Pending>();
  private closed = false;
  /** A stdio child's stdin, corked while the current turn's requests are written. */
  private readonly stdin: Writable | undefined;
  private corked = false;
  private readonly uncork = () => {
    this.corked = false;
    this.stdin?.uncork();
  };

  /** Call once the Client is connected: its handlers are in place on the transport then. */
  constructor(private readonly transport: Transport) {
    this.stdin = transport instanceof StdioClientTransport ? (transport as unknown as { _process?: ChildProcess })._process?.stdin ?? undefined : undefined;
    const clientOnMessage = transport.onmessage;
    const clientOnClose = transport.onclose;
    transport.onmessage = (message, extra) => {
      if (!this.take(message)) clientOnMessage?.call(transport, message, extra);
    };
    transport.onclose = () => {
      clientOnClose?.call(transport);
      this.failAll();
    };
  }

  get size(): number {
    return this.pending.size;
  }

  request(method: string, params: Record<string, unknown> | undefined): DirectRequest {
    const id = `sy-${this.next++}`;
    const settle = new Pending();
    const { result } = settle;
    if (this.closed) {
      settle.reject(new McpError(JSONRPC.connectionClosed, "Connection closed"));
      return { result, cancel: () => undefined };
    }
    this.pending.set(id, settle);
    const message: JSONRPCMessage = params ? { jsonrpc: "2.0", id, method, params } : { jsonrpc: "2.0", id, method };
    this.send(message).catch((e: unknown) => {
      if (this.pending.delete(id)) settle.reject(e);
    });
    const cancel = (reason: Error) => {
      if (!this.pending.delete(id)) return;
      settle.reject(reason);
      const notice: JSONRPCMessage = { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: reason.message } };
      this.send(notice).catch(() => undefined);
    };
    return { result, cancel };
  }

  private send(message: JSONRPCMessage): Promise<void> {
    if (this.stdin && !this.corked && this.stdin.writable) {
      this.corked = true;
      this.stdin.cork();
      setImmediate(this.uncork);
    }
    return this.transport.send(message);
  }

  /** True when `message` answered one of ours (and was handled here). */
  private take(message: JSONRPCMessage): boolean {
    const id = (message as { id?: unknown }).id;
    if (typeof id !== "string" || !id.startsWith("sy-") || "method" in message) return false;
    const waiting = this.pending.get(id);
    if (!waiting) return true; // answered after we gave up on it: nobody is waiting
    this.pending.delete(id);
    const { result, error } = message as { result?: unknown; error?: unknown };
    if (isObject(error)) {
      const code = typeof error.code === "number" ? error.code : JSONRPC.internalError;
      waiting.reject(new McpError(code, typeof error.message === "string" ? error.message : "upstream error", error.data));
    } else waiting.resolve(result);
    return true;
  }

  private failAll(): void {
    this.closed = true;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.reject(new McpError(JSONRPC.connectionClosed, "Connection closed"));
  }
}
