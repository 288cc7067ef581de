import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import { generateSecretKey, Keyring } from "@switchyard/core/secrets";
import { hashApiKey } from "@switchyard/core/api-key-material";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, parseJson, runCli } from "@switchyard/gateway/testing";

const SECRET_ENV_VALUE = "tok_live_5f0c2e9a8b7d6c5e4f3a2b1c";
const SECRET_FILE_VALUE = "file_secret_c0ffee_123456";
const SECRET_HEADER_VALUE = "Bearer ghp_headersecret_abcdef123456";
const EVERYTHING_BIN = fileURLToPath(new URL("../../../node_modules/.bin/mcp-server-everything", import.meta.url));

let db: TestDatabase;
let env: Record<string, string>;
let dir: string;
const secretKey = generateSecretKey();

/** Every row of every table as text: where plaintext secrets must never appear. */
async function databaseText(): Promise<string> {
  const tables = await db.sql<{ table_name: string }[]>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await db.sql.unsafe<{ j: string }[]>(`select row_to_json(t)::text as j from "${table_name}" t`);
    parts.push(...rows.map((r) => r.j));
  }
  return parts.join("\n");
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "switchyard-cli-"));
  env = baseEnv({
    DATABASE_URL: db.url,
    SWITCHYARD_SECRET_KEY: secretKey,
    AUTH_SECRET: "a".repeat(40),
    STDIO_SERVERS: "on",
    SWITCHYARD_DATA_DIR: join(dir, "data"),
  });
});

afterAll(async () => {
  await db.drop();
});

describe("switchyard admin", () => {
  let userId: string;
  let projectId: string;

  it("creates a user from --password-stdin and prints JSON", async () => {
    const user = parseJson(await runCli(["admin", "create-user", "--email", "Owner@Example.com", "--password-stdin", "--admin", "--json"], env, "correct horse battery\n"));
    expect(user).toMatchObject({ email: "owner@example.com", isAdmin: true });
    expect(typeof user.id).toBe("string");
    expect(JSON.stringify(user)).not.toContain("password");
    userId = user.id as string;
    const [row] = await db.sql<{ password_hash: string }[]>`select password_hash from users where id = ${userId}`;
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it("refuses a duplicate email, a bad email and a short password with non-zero exits", async () => {
    const dup = await runCli(["admin", "create-user", "--email", "owner@EXAMPLE.com", "--password", "another password", "--json"], env);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain("already exists");
    const bad = await runCli(["admin", "create-user", "--email", "not-an-email", "--password", "long enough pw"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/email/);
    const short = await runCli(["admin", "create-user", "--email", "x@example.com", "--password", "short"], env);
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/at least 10 characters/);
    const none = await runCli(["admin", "create-user", "--email", "y@example.com"], env);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/password is required/);
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from users`;
    expect(count?.n).toBe(1);
  });

  it("creates a team owned by the user and records the activity", async () => {
    const team = parseJson(await runCli(["admin", "create-team", "--name", "Acme Platform", "--owner", "owner@example.com", "--json"], env));
    expect(team).toMatchObject({ name: "Acme Platform", slug: "acme-platform" });
    const [member] = await db.sql<{ role: string; user_id: string }[]>`select role, user_id from team_members where team_id = ${team.id as string}`;
    expect(member).toEqual({ role: "owner", user_id: userId });
    const [activity] = await db.sql<{ type: string }[]>`select type from activities where team_id = ${team.id as string}`;
    expect(activity?.type).toBe("team.created");
  });

  it("refuses an unknown owner and a duplicate team slug", async () => {
    const unknown = await runCli(["admin", "create-team", "--name", "Other", "--owner", "ghost@example.com"], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("no user ghost@example.com");
    const dup = await runCli(["admin", "create-team", "--name", "Acme Platform", "--owner", "owner@example.com"], env);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain('a team with slug "acme-platform" already exists');
  });

  it("creates a project in the team given by slug, and refuses an unknown team", async () => {
    const project = parseJson(await runCli(["admin", "create-project", "--team", "acme-platform", "--name", "Payments API", "--json"], env));
    expect(project).toMatchObject({ name: "Payments API", slug: "payments-api" });
    projectId = project.id as string;
    const unknown = await runCli(["admin", "create-project", "--team", "nope", "--name", "X"], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no team with slug "nope"');
    const dup = await runCli(["admin", "create-project", "--team", "acme-platform", "--name", "Payments API"], env);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain("already has a project");
  });

  it("adds a stdio server with --env and --env-file, sealing every secret", async () => {
    const envFile = join(dir, "server.env");
    await writeFile(envFile, `# comment\nFILE_TOKEN="${SECRET_FILE_VALUE}"\n`);
    const server = parseJson(
      await runCli(
        ["admin", "add-server", "--project", projectId, "--name", "everything", "--command", EVERYTHING_BIN, "--arg", "stdio", "--env", `API_TOKEN=${SECRET_ENV_VALUE}`, "--env-file", envFile, "--json"],
        env,
      ),
    );
    expect(server).toMatchObject({ name: "everything", transport: "stdio", enabled: true, projectId });
    const [row] = await db.sql<{ env_enc: string; args_enc: string }[]>`select env_enc, args_enc from mcp_servers where id = ${server.id as string}`;
    const keyring = Keyring.fromStrings(secretKey);
    expect(keyring.decryptJson(row?.env_enc ?? "")).toEqual({ API_TOKEN: SECRET_ENV_VALUE, FILE_TOKEN: SECRET_FILE_VALUE });
    expect(keyring.decryptJson(row?.args_enc ?? "")).toEqual(["stdio"]);
  });

  it("adds a remote server with --header", async () => {
    const server = parseJson(
      await runCli(["admin", "add-server", "--project", projectId, "--name", "remote-api", "--url", "https://mcp.example.com/mcp", "--header", `Authorization=${SECRET_HEADER_VALUE}`, "--json"], env),
    );
    expect(server).toMatchObject({ name: "remote-api", transport: "streamable_http" });
  });

  it("never stores a plaintext secret in any table", async () => {
    const text = await databaseText();
    expect(text).toContain("everything");
    for (const secret of [SECRET_ENV_VALUE, SECRET_FILE_VALUE, SECRET_HEADER_VALUE, "mcp.example.com"]) expect(text).not.toContain(secret);
  });

  it("refuses bad server input with a message naming the problem", async () => {
    const cases: [string[], RegExp][] = [
      [["--name", "Bad_Name", "--command", "node"], /server name must match/],
      [["--name", "both", "--command", "node", "--url", "https://x.example.com"], /either --command .* or --url/],
      [["--name", "neither"], /give --command/],
      [["--name", "everything", "--command", "node"], /already has a server named "everything"/],
      [["--name", "preload", "--command", "node", "--env", "LD_PRELOAD=/tmp/x.so"], /LD_PRELOAD is not allowed/],
      [["--name", "badurl", "--url", "ftp://example.com"], /http or https/],
      [["--name", "pairs", "--command", "node", "--env", "NOVALUE"], /KEY=VALUE/],
    ];
    for (const [args, message] of cases) {
      const res = await runCli(["admin", "add-server", "--project", projectId, ...args], env);
      expect(res.code, args.join(" ")).not.toBe(0);
      expect(res.stderr, args.join(" ")).toMatch(message);
    }
    const unknownProject = await runCli(["admin", "add-server", "--project", "00000000-0000-4000-8000-000000000000", "--name", "x", "--command", "node"], env);
    expect(unknownProject.stderr).toContain("project not found");
    const stdioOff = await runCli(["admin", "add-server", "--project", projectId, "--name", "blocked", "--command", "node"], { ...env, STDIO_SERVERS: "off" });
    expect(stdioOff.code).not.toBe(0);
    expect(stdioOff.stderr).toContain("stdio servers are disabled");
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from mcp_servers where project_id = ${projectId}`;
    expect(count?.n).toBe(2);
  });

  it("imports an mcpServers file, normalizing and reporting names", async () => {
    const file = join(dir, "mcp.json");
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: {
          "GitHub_Tools": { url: "https://api.example.com/mcp", headers: { Authorization: "Bearer ghp_import_secret_1" } },
          memory: { command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] },
          legacy: { url: "https://legacy.example.com/sse" },
        },
      }),
    );
    const result = parseJson<{ servers: { name: string; originalName: string; transport: string }[] }>(await runCli(["admin", "import-servers", "--project", projectId, "--file", file, "--json"], env));
    expect(result.servers).toEqual([
      expect.objectContaining({ name: "github-tools", originalName: "GitHub_Tools", transport: "streamable_http" }),
      expect.objectContaining({ name: "memory", originalName: "memory", transport: "stdio" }),
      expect.objectContaining({ name: "legacy", originalName: "legacy", transport: "sse" }),
    ]);
    expect(await databaseText()).not.toContain("ghp_import_secret_1");
  });

  it("writes nothing when an import file is malformed or has a bad entry", async () => {
    const before = await db.sql<{ n: number }[]>`select count(*)::int as n from mcp_servers`;
    const malformed = join(dir, "bad.json");
    await writeFile(malformed, "{ not json");
    const res = await runCli(["admin", "import-servers", "--project", projectId, "--file", malformed], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("not valid JSON");
    const partial = join(dir, "partial.json");
    await writeFile(partial, JSON.stringify({ mcpServers: { fine: { command: "node" }, broken: { args: ["x"] } } }));
    const res2 = await runCli(["admin", "import-servers", "--project", projectId, "--file", partial], env);
    expect(res2.code).not.toBe(0);
    expect(res2.stderr).toContain("broken: needs a command");
    const missing = await runCli(["admin", "import-servers", "--project", projectId, "--file", join(dir, "nope.json")], env);
    expect(missing.stderr).toContain("no such file");
    const after = await db.sql<{ n: number }[]>`select count(*)::int as n from mcp_servers`;
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it("creates an API key, prints it once and stores only its hash", async () => {
    const created = parseJson<{ id: string; key: string; prefix: string; name: string }>(await runCli(["admin", "create-api-key", "--project", projectId, "--name", "ci", "--json"], env));
    expect(created.key).toMatch(/^sy_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const [row] = await db.sql<{ hash: string }[]>`select hash from api_keys where id = ${created.id}`;
    expect(row?.hash).toBe(hashApiKey(created.key));
    expect(await databaseText()).not.toContain(created.key);
    const bad = await runCli(["admin", "create-api-key", "--project", projectId, "--name", "old", "--expires-at", "2001-01-01"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("expiry must be in the future");
  });
});

describe("switchyard configuration", () => {
  it("stops with a message naming a bad variable", async () => {
    const res = await runCli(["migrate"], { ...env, GATEWAY_PORT: "not-a-port" });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("GATEWAY_PORT");
  });

  it("refuses production mode without SWITCHYARD_SECRET_KEY", async () => {
    const { SWITCHYARD_SECRET_KEY: _omit, ...rest } = env;
    const res = await runCli(["migrate"], rest);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("SWITCHYARD_SECRET_KEY");
  });
});
