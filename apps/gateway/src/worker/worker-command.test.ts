/** `switchyard worker` as a real process: starts, refreshes, stops cleanly on SIGTERM; bad flags are refused. */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateSecretKey, Keyring } from "@switchyard/core/secrets";
import { getServer, listWorkerRuns } from "@switchyard/db";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Seeded, seedServers, waitThroughFailures } from "@switchyard/gateway/testing";

const ENTRY = fileURLToPath(new URL("../testing/worker-cli-entry.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;

let tdb: TestDatabase;
let dataDir: string;
let seeded: Seeded;
const secretKey = generateSecretKey();

beforeAll(async () => {
  tdb = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), "sy-worker-cli-"));
  seeded = await seedServers(tdb.db, Keyring.fromStrings(secretKey));
});
afterAll(async () => {
  await tdb.drop();
  await rm(dataDir, { recursive: true, force: true });
});

function run(args: string[]) {
  const child = spawn(process.execPath, ["--import", TSX, ENTRY, "worker", ...args], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      DATABASE_URL: tdb.url,
      SWITCHYARD_SECRET_KEY: secretKey,
      AUTH_SECRET: generateSecretKey(),
      SWITCHYARD_DATA_DIR: dataDir,
      STDIO_SERVERS: "on",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe("switchyard worker", () => {
  it("refreshes the servers, then stops cleanly on SIGTERM", async () => {
    const worker = run(["--concurrency", "2", "--connect-timeout", "8000"]);
    await waitThroughFailures(async () => (await listWorkerRuns(tdb.db, { jobName: "refresh-server-status" })).items.find((r) => r.status === "success"), "the first refresh", 30_000);
    expect((await getServer(tdb.db, seeded.project.id, seeded.everything.id))?.status).toBe("online");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.stderr()).toContain('"msg":"worker started"');
    expect(worker.stderr()).toContain('"msg":"worker stopped"');
  });

  it("refuses a bad flag with a message and a failing exit code", async () => {
    const worker = run(["--concurrency", "0"]);
    expect(await worker.exited).not.toBe(0);
    expect(worker.stderr()).toContain("expected a whole number from 1 to 256");
  });
});
