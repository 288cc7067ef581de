/** Child process of embedded-pg-process.ts: starts the cluster in argv[2], prints its URL, stops on SIGTERM. */
import { startEmbeddedPostgres } from "@switchyard/db";

const [dir, port] = process.argv.slice(2);
if (!dir) throw new Error("usage: embedded-pg-runner <dir> [port]");
const pg = await startEmbeddedPostgres({ dir, ...(Number(port) > 0 ? { port: Number(port) } : {}) });
process.stdout.write(`${JSON.stringify({ url: pg.url, port: pg.port })}\n`);
process.once("SIGTERM", () => {
  void pg.stop().finally(() => process.exit(0));
});
