/**
 * `npm run seed:logs -- --rows 10000000 --project <project id> [--days 7] [--seed 42] [--streams 2]` — fills a
 * project with generated tool calls, sessions and rollups (COPY) for demos and benchmarks.
 * Connects to DATABASE_URL. Never run it against a production project: the rows look real.
 */
import { parseArgs } from "node:util";
import { createDb } from "../src/client";
import { seedProjectLogs } from "../src/seed-logs";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "1000000" }, project: { type: "string" }, days: { type: "string", default: "7" }, seed: { type: "string", default: "42" }, streams: { type: "string", default: "2" } },
});
const url = process.env.DATABASE_URL;
if (!url || !values.project) {
  console.error("usage: DATABASE_URL=… npm run seed:logs -- --rows N --project PROJECT_ID [--days 7] [--seed 42]");
  process.exit(2);
}
const handle = createDb(url, { max: Number(values.streams) + 1, applicationName: "switchyard-seed" });
const started = performance.now();
try {
  const [project] = await handle.sql<{ id: string }[]>`select id from projects where id::text = ${values.project}`;
  if (!project) throw new Error(`no project ${values.project}`);
  const result = await seedProjectLogs(handle.sql, {
    projectId: project.id,
    rows: Number(values.rows),
    days: Number(values.days),
    seed: Number(values.seed),
    streams: Number(values.streams),
    onProgress: (n) => console.log(`${n.toLocaleString("en")} rows (${Math.round(n / ((performance.now() - started) / 1000)).toLocaleString("en")} rows/s)`),
  });
  console.log(`seeded ${result.rows.toLocaleString("en")} calls and ${result.sessions.toLocaleString("en")} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await handle.close();
}
