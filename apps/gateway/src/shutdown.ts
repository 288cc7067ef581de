/** SIGINT/SIGTERM handling shared by every long-running command: run the closers once, then exit. */
type Closer = () => Promise<void>;

const closers: Closer[] = [];
let installed = false;
let shuttingDown = false;

export function onShutdown(closer: Closer, { timeoutMs = 20_000 } = {}): void {
  closers.push(closer);
  if (installed) return;
  installed = true;
  const handler = () => {
    if (shuttingDown) return;
    shuttingDown = true;
    const timer = setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${timeoutMs} ms; exiting\n`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    void (async () => {
      let failed = false;
      // Close in reverse order of registration: last started, first stopped.
      for (const close of [...closers].reverse()) {
        try {
          await close();
        } catch (e) {
          failed = true;
          process.stderr.write(`error during shutdown: ${e instanceof Error ? e.message : String(e)}\n`);
        }
      }
      process.exit(failed ? 1 : 0);
    })();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  // A closed terminal: stop as cleanly as on Ctrl-C instead of dying with children still running.
  process.on("SIGHUP", handler);
}

/**
 * Children of `switchyard start` get an IPC channel; when the parent dies (even by SIGKILL) the
 * channel closes and the child shuts itself down instead of living on as an orphan.
 */
export function exitWithParent(): void {
  if (!process.send) return;
  // The parent may already be gone (killed while this process was still starting).
  if (!process.connected) process.kill(process.pid, "SIGTERM");
  else process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}
