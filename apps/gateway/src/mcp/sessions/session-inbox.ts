/**
 * Where messages from other instances (session-bus.ts) are handed out: each receiver (the hub for
 * notifications and answers, the SSE endpoint for POSTs) registers for its kind. Built before the
 * bus and the receivers, so the bus can be up before they are.
 */
import type { BusMessage } from "./session-bus";

type Handler<K extends BusMessage["kind"]> = (message: Extract<BusMessage, { kind: K }>) => void;

export class SessionInbox {
  private readonly handlers = new Map<BusMessage["kind"], (message: BusMessage) => void>();

  on<K extends BusMessage["kind"]>(kind: K, handler: Handler<K>): void {
    this.handlers.set(kind, handler as (message: BusMessage) => void);
  }

  readonly dispatch = (message: BusMessage): void => {
    this.handlers.get(message.kind)?.(message);
  };
}
