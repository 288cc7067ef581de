/**
 * Runs once when `next start` boots: validates the configuration and opens the database, so a
 * bad or missing setting stops the console at start with its name instead of on the first request.
 */
export async function register(): Promise<void> {
  // Next drops the Node-only import from the Edge bundle only for this literal check.
  // eslint-disable-next-line no-restricted-properties -- NEXT_RUNTIME is set by Next itself, not configuration
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConsoleStartup } = await import("./server/startup");
    await checkConsoleStartup();
  }
}
