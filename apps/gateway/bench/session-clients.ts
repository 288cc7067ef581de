/**
 * The client side of bench:sessions, in its own process so the bench's heap figures are the
 * gateway's alone (a legacy SSE client holds a socket and a parser per session). Driven over IPC:
 * `open` opens sessions (initialize, tools/list, then idle) and reports every `progressEvery`;
 * `end` ends them all (DELETE, or the SSE stream closed).
 */
import { leanSse, openIdleSession } from "./lean-mcp-client";

export type BenchTransport = "streamable" | "sse";

export type ClientCommand =
  | { op: "open"; transport: BenchTransport; endpoint: string; auth: Record<string, string>; count: number; concurrency: number; progressEvery: number }
  | { op: "end"; concurrency: number };

export type ClientReport = { progress: number } | { opened: number; seconds: number } | { ended: number } | { failed: string };

const send = (report: ClientReport) => process.send?.(report);
let open: (() => Promise<void>)[] = [];

async function inBatches(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
}

/** A keep-alive socket the gateway closed while idle (its heap snapshot stalls it for seconds) is retried once. */
async function retryHangUp<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof Error && /socket hang up|ECONNRESET/.test(e.message))) throw e;
    return work();
  }
}

async function openOne(transport: BenchTransport, endpoint: string, auth: Record<string, string>): Promise<() => Promise<void>> {
  const end = await retryHangUp(() => openOnce(transport, endpoint, auth));
  return () => retryHangUp(end);
}

async function openOnce(transport: BenchTransport, endpoint: string, auth: Record<string, string>): Promise<() => Promise<void>> {
  if (transport === "streamable") return (await openIdleSession(endpoint, auth)).end;
  const session = await leanSse(endpoint, auth);
  try {
    await session.list();
  } catch (e) {
    session.close();
    throw e;
  }
  return () => Promise.resolve(session.close());
}

async function run(cmd: ClientCommand): Promise<void> {
  if (cmd.op === "open") {
    const started = performance.now();
    let done = 0;
    await inBatches(cmd.count, cmd.concurrency, async () => {
      open.push(await openOne(cmd.transport, cmd.endpoint, cmd.auth));
      if (++done % cmd.progressEvery === 0 && done < cmd.count) send({ progress: done });
    });
    send({ opened: open.length, seconds: (performance.now() - started) / 1_000 });
    return;
  }
  const ending = open;
  open = [];
  await inBatches(ending.length, cmd.concurrency, (i) => ending[i]?.() ?? Promise.resolve());
  send({ ended: ending.length });
}

process.on("message", (cmd: ClientCommand) => {
  run(cmd).catch((e: unknown) => send({ failed: e instanceof Error ? e.message : String(e) }));
});
process.on("disconnect", () => process.exit(0));
