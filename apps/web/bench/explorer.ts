/**
 * `npm run bench:explorer -- [--rows 10000000] [--fresh] [--samples 20] [--seed-only] [--streams 2] [--db sy_bench_explorer]` — the log explorer at
 * scale, through the console's own route handlers (in-process: session, validation, tenant
 * checks, the SQL): list page, facets, histogram, metrics, a rare-term and a common-term text
 * search, over 24 h and 7 d windows ending at the newest seeded call; p50/p95 each, then the
 * index use of each statement's plan (EXPLAIN ANALYZE).
 *
 * Needs DATABASE_URL (an admin URL). Seeds database `sy_bench_explorer` (or --db NAME) once (npm run seed:logs's
 * generator, COPY over --streams connections) and reuses it while it holds at least --rows calls,
 * resuming an interrupted seeding; --fresh seeds again; --seed-only stops after seeding.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { Keyring, generateSecretKey } from "@switchyard/core/secrets";
import { ZERO_SETUP_POLICY } from "@switchyard/core/servers";
import { createProject, createTeam, createUser } from "@switchyard/core/services";
import { createDb, ensureDatabase, runMigrations } from "@switchyard/db";
import { RARE_WORD, seedProjectLogs } from "@switchyard/db/seed";
import { parseEnv } from "../src/env";
import { runRoute } from "../src/server/action";
import { resolveWebConfig } from "../src/server/config";
import { createWebDeps, setDepsForTests } from "../src/server/deps";
import type { HandlerDef } from "../src/server/handler";

const { values } = parseArgs({ options: { rows: { type: "string", default: "10000000" }, fresh: { type: "boolean", default: false }, samples: { type: "string", default: "20" }, "seed-only": { type: "boolean", default: false }, streams: { type: "string", default: "2" }, db: { type: "string", default: "sy_bench_explorer" } } });
const DB_NAME = values.db;
const STREAMS = Number(values.streams);
const ROWS = Number(values.rows);
const SAMPLES = Number(values.samples);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.error("bench:explorer needs DATABASE_URL (an admin URL of a Postgres 15+ server)");
  process.exit(2);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const url = await ensureDatabase(adminUrl, DB_NAME);
const migrating = performance.now();
await runMigrations(url);
// Pending migrations may rewrite the rollups of a reused seeding (e.g. 0014 folding the tiers): say how long that took.
console.log(`migrations: ${((performance.now() - migrating) / 1000).toFixed(1)} s`);
let captured: { query: string; params: unknown[] }[] = [];
const handle = createDb(url, { max: 10, applicationName: "bench-explorer", onQuery: (query, params) => captured.push({ query, params }) });
const { sql } = handle;

// The bench tenant: found by slug, created on first run.
const [found] = await sql<{ teamId: string; projectId: string; ownerId: string }[]>`
  select t.id as "teamId", p.id as "projectId", m.user_id as "ownerId" from teams t join projects p on p.team_id = t.id
  join team_members m on m.team_id = t.id and m.role = 'owner' where t.slug = 'bench-explorer' limit 1`;
const secretKey = generateSecretKey();
const keyring = Keyring.fromStrings(secretKey);
const seedDeps = { db: handle.db, keyring, policy: ZERO_SETUP_POLICY };
let tenant = found;
if (!tenant) {
  const user = await createUser(seedDeps, { kind: "system" }, { email: `bench-${randomBytes(3).toString("hex")}@example.test`, password: "bench password 123" });
  const actor = { kind: "user" as const, userId: user.id, isAdmin: false };
  const team = await createTeam(seedDeps, actor, { name: "Bench explorer", slug: "bench-explorer", owner: user.id });
  const project = await createProject(seedDeps, actor, team.id, { name: "Bench explorer" });
  tenant = { teamId: team.id, projectId: project.id, ownerId: user.id };
}
const bench = tenant;
const [{ n: have } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from tool_call_logs where project_id = ${tenant.projectId}`;
if (values.fresh || have < ROWS) {
  // An interrupted seeding (whole COPY slices, oldest first) is resumed where it stopped, on the same timeline.
  const resume = !values.fresh && have > 0;
  const [{ first } = { first: null }] = resume
    ? await sql<{ first: string | null }[]>`select min(started_at)::text as first from tool_call_logs where project_id = ${tenant.projectId}`
    : [];
  if (!resume) {
    await sql`delete from tool_call_logs where project_id = ${tenant.projectId}`;
    await sql`delete from client_sessions where project_id = ${tenant.projectId}`;
    await sql`delete from api_keys where project_id = ${tenant.projectId} and name like 'seed-%'`;
  }
  const end = first ? new Date(new Date(first).getTime() + 7 * 86_400_000) : new Date();
  const started = performance.now();
  console.log(resume ? `resuming after ${have.toLocaleString("en")} of ${ROWS.toLocaleString("en")} calls …` : `seeding ${ROWS.toLocaleString("en")} calls …`);
  const seeded = await seedProjectLogs(sql, {
    projectId: tenant.projectId, rows: ROWS, days: 7, end, skip: resume ? have : 0, streams: STREAMS,
    onProgress: (n) => process.stdout.write(`\r  ${n.toLocaleString("en")} rows`),
  });
  console.log(`\nseeded ${seeded.rows.toLocaleString("en")} calls, ${seeded.sessions.toLocaleString("en")} sessions in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await sql`vacuum analyze tool_call_logs`;
  await sql`vacuum analyze tool_call_rollups, tool_call_rollups_quarterly, tool_call_rollups_hourly, tool_call_rollups_daily`;
} else {
  console.log(`reusing ${have.toLocaleString("en")} seeded calls in ${DB_NAME}`);
  // The tiers are small; a migration that rewrote them leaves dead rows a sequential scan would read.
  await sql`vacuum analyze tool_call_rollups_quarterly, tool_call_rollups_hourly, tool_call_rollups_daily`;
}
if (values["seed-only"]) {
  await handle.close();
  process.exit(0);
}

const config = await resolveWebConfig(
  parseEnv({ DATABASE_URL: url, SWITCHYARD_MODE: "zero-setup", SWITCHYARD_SECRET_KEY: secretKey, AUTH_SECRET: randomBytes(32).toString("base64url"), PUBLIC_GATEWAY_URL: "http://127.0.0.1:9" }),
);
const webDeps = createWebDeps(config);
setDepsForTests({ ...webDeps, db: handle.db, sql });
const user = { id: tenant.ownerId, email: "bench@example.test", name: "bench", isAdmin: false };

const routes: Record<string, HandlerDef> = {
  list: (await import("../src/app/api/teams/[teamId]/logs/route")).GET.def,
  facets: (await import("../src/app/api/teams/[teamId]/logs/facets/route")).GET.def,
  histogram: (await import("../src/app/api/teams/[teamId]/logs/histogram/route")).GET.def,
  metrics: (await import("../src/app/api/teams/[teamId]/logs/metrics/route")).GET.def,
};

const [{ newest } = { newest: new Date().toISOString() }] = await sql<{ newest: string }[]>`select max(started_at)::text as newest from tool_call_logs where project_id = ${tenant.projectId}`;
const to = new Date(new Date(newest).getTime() + 1);
const windows = { "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;

interface Case {
  label: string;
  route: keyof typeof routes;
  q: string;
  target: number;
}
const CASES: Case[] = [
  { label: "list page", route: "list", q: "", target: 50 },
  { label: "list page, status:error", route: "list", q: "status:error", target: 50 },
  { label: "facets", route: "facets", q: "", target: 300 },
  { label: "facets, server:github", route: "facets", q: "server:github", target: 300 },
  { label: "histogram", route: "histogram", q: "", target: 300 },
  { label: "metrics", route: "metrics", q: "", target: 300 },
  { label: "facets, tool:get_issue", route: "facets", q: "tool:get_issue", target: 300 },
  { label: "metrics, duration:>1000 (bucket edge: rollups)", route: "metrics", q: "duration:>1000", target: 300 },
  { label: `text, rare term (${RARE_WORD})`, route: "list", q: RARE_WORD, target: 1000 },
  { label: "text, common term (function)", route: "list", q: "function", target: 1000 },
];

async function call(c: Case, window: number): Promise<{ ms: number; status: number }> {
  const def = routes[c.route];
  if (!def) throw new Error(c.route);
  const params = new URLSearchParams({ teamId: bench.teamId, projectId: bench.projectId, q: c.q, from: new Date(to.getTime() - window).toISOString(), to: to.toISOString(), limit: "100" });
  const started = performance.now();
  const res = await runRoute(def, user, new Request(`http://bench.test/api?${params.toString()}`), { teamId: bench.teamId });
  await res.text();
  return { ms: performance.now() - started, status: res.status };
}

const plans: { label: string; summary: string }[] = [];
console.log(`\n| query | window | p50 ms | p95 ms | target | |\n|---|---|---|---|---|---|`);
for (const [windowName, window] of Object.entries(windows)) {
  for (const c of CASES) {
    for (let i = 0; i < 2; i++) await call(c, window);
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < SAMPLES; i++) {
      captured = [];
      const r = await call(c, window);
      times.push(r.ms);
      status = r.status;
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 0.95);
    console.log(`| ${c.label} | ${windowName} | ${percentile(times, 0.5).toFixed(1)} | ${p95.toFixed(1)} | ${c.target} | ${status !== 200 ? `HTTP ${status}` : p95 <= c.target ? "ok" : "over"} |`);
    // The plan of each statement the last request ran (the tenant lookups are tiny; skip them).
    const statements = captured.filter((s) => /tool_call_(logs|rollups)/.test(s.query));
    const summaries: string[] = [];
    for (const s of statements) {
      const rows = await sql.unsafe<{ "QUERY PLAN": string }[]>(`explain (analyze, costs off, timing off, summary off) ${s.query}`, s.params as never[]);
      const lines = rows.map((r) => r["QUERY PLAN"]);
      const scans = new Map<string, number>();
      for (const l of lines) {
        const m = /(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?(?: using (\S+))? on (\S+)/.exec(l);
        if (!m) continue;
        // Daily partitions' names differ only by date: count them under one name.
        const what = `${m[1]} ${m[2] ?? `on ${m[3] ?? ""}`}`.replace(/tool_call_logs_p\d{8}/g, "tool_call_logs_p*");
        scans.set(what, (scans.get(what) ?? 0) + 1);
      }
      summaries.push([...scans].map(([k, v]) => `${k} ×${v}`).join(", "));
    }
    plans.push({ label: `${c.label} (${windowName})`, summary: summaries.join(" ; ") });
  }
}
console.log("\nPlans (scans per statement; ×N = partitions or repeats):");
for (const p of plans) console.log(`- ${p.label}: ${p.summary}`);
setDepsForTests(undefined);
await webDeps.close();
await handle.close();
