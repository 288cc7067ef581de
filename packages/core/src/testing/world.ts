/**
 * Test world for the worker's tests: a fresh database with one team and project, stdio servers
 * registered the way the services store them (sealed), and the real probe over connectUpstream.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { insertProject, insertServer, insertTeam, type McpServer, type Project } from "@switchyard/db";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import type { StdioServerConfig } from "@switchyard/shared";
import { Keyring, generateSecretKey } from "../secrets";
import { ZERO_SETUP_POLICY } from "../servers/server-policy";
import { sealServerConfig } from "../servers/server-record";
import { EVERYTHING_BIN } from "./everything-server";
import type { ServerProbe } from "../status/probe-result";
import { createServerProbe } from "../status/probe-server";

const FIXTURE_SERVER = fileURLToPath(new URL("./fixture-server.ts", import.meta.url));
// An absolute loader URL: the child runs in its scratch directory, where `tsx` would not resolve.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;
/** Arguments for `node` that start the fixture MCP server; append the fixture's options. */
export const FIXTURE_ARGS = ["--import", TSX_LOADER, FIXTURE_SERVER] as const;
export { EVERYTHING_BIN };

export interface World {
  tdb: TestDatabase;
  keyring: Keyring;
  scratchRoot: string;
  probe: ServerProbe;
  /** A new project (own team) on each call. */
  makeProject(values?: Partial<Pick<Project, "newToolPolicy" | "retentionDays">>): Promise<Project>;
  addStdio(project: Project, name: string, args: string[], over?: Partial<StdioServerConfig>): Promise<McpServer>;
  addRemote(project: Project, name: string, url: string): Promise<McpServer>;
  /** A JSON file of tools for the fixture's `--tools-file`. */
  writeTools(name: string, tools: unknown[]): Promise<string>;
  close(): Promise<void>;
}

let seq = 0;

export async function createWorld(tdb?: TestDatabase): Promise<World> {
  const db = tdb ?? (await createTestDatabase());
  const keyring = Keyring.fromStrings(generateSecretKey());
  const scratchRoot = await mkdtemp(join(tmpdir(), "sy-worker-test-"));
  const probe = createServerProbe({ keyring, policy: ZERO_SETUP_POLICY, scratchRoot, selfUrls: [] });
  return {
    tdb: db,
    keyring,
    scratchRoot,
    probe,
    makeProject: async (values = {}) => {
      seq += 1;
      const team = await insertTeam(db.db, { name: `Team ${seq}`, slug: `team-${seq}-${Date.now()}` });
      return insertProject(db.db, team.id, { name: `Project ${seq}`, slug: `project-${seq}`, ...values });
    },
    addStdio: (project, name, args, over = {}) =>
      insertServer(
        db.db,
        project.id,
        sealServerConfig(keyring, { name, transport: "stdio", command: process.execPath, args, env: {}, timeoutMs: 30_000, enabled: true, isolation: "shared", ...over }),
      ),
    addRemote: (project, name, url) =>
      insertServer(
        db.db,
        project.id,
        sealServerConfig(keyring, { name, transport: "streamable_http", url, headers: {}, timeoutMs: 30_000, enabled: true, isolation: "shared" }),
      ),
    writeTools: async (name, tools) => {
      const file = join(scratchRoot, `${name}.tools.json`);
      await writeFile(file, JSON.stringify(tools));
      return file;
    },
    close: async () => {
      if (!tdb) await db.drop();
      await rm(scratchRoot, { recursive: true, force: true });
    },
  };
}
