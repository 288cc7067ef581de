/**
 * The cause of the stall after a Postgres crash recovery: postgres.js backs off between connection
 * attempts by (0.5–1) × min(3^failures / 100, 20) s, failures shared by the whole pool, so after
 * a 30 s outage the pool's next attempt came 10–20 s after the database was back and every query
 * queued meanwhile answered in the same millisecond. createDb caps the backoff at one second.
 */
import { createDb } from "@switchyard/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startOwnPostgres, type OwnPostgres } from "../cluster/own-postgres";
import { OUTAGE_MS, sleep } from "./settings";

let pg: OwnPostgres;
beforeAll(async () => {
  pg = await startOwnPostgres();
}, 60_000);
afterAll(async () => pg?.destroy());

it("answers within about a second of the database's recovery after an immediate stop", async () => {
  const db = createDb(pg.url, { max: 4 });
  try {
    await db.sql`select 1`;
    await pg.stop("immediate");
    // The application keeps asking while the database is down (calls, the log writer, key re-checks), without waiting for answers.
    let failures = 0;
    const asking = setInterval(() => void db.sql`select 1`.catch(() => failures++), 50);
    await sleep(OUTAGE_MS);
    await pg.start();
    const started = performance.now();
    await db.sql`select 1`;
    const ms = Math.round(performance.now() - started);
    clearInterval(asking);
    process.stdout.write(`[faults] first query after recovery: ${ms} ms (${failures} failed queries during the ${OUTAGE_MS / 1_000} s outage)\n`);
    expect(failures).toBeGreaterThan(0);
    expect(ms).toBeLessThan(1_500);
  } finally {
    await db.close();
  }
});
