import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDataDirSecrets, writeRuntimeInfo } from "@switchyard/core/runtime";
import { generateSecretKey } from "@switchyard/core/secrets";
import { ZERO_SETUP_POLICY } from "@switchyard/core/servers";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/env";
import { resolveWebConfig } from "./config";

const secrets = { SWITCHYARD_SECRET_KEY: generateSecretKey(), AUTH_SECRET: "a".repeat(40) };
const DB = "postgres://u@db.example.com/app";
const dataDir = async () => join(await mkdtemp(join(tmpdir(), "sy-web-config-")), "data");

describe("resolveWebConfig", () => {
  it("decides the mode as the gateway does: a child of `switchyard start` stays zero-setup with its embedded database", async () => {
    const dir = await dataDir();
    const stored = await ensureDataDirSecrets(dir);
    const config = await resolveWebConfig(parseEnv({ SWITCHYARD_DATA_DIR: dir, SWITCHYARD_MODE: "zero-setup", DATABASE_URL: "postgres://postgres@127.0.0.1:5999/switchyard" }));
    expect(config).toMatchObject({ mode: "zero-setup", policy: ZERO_SETUP_POLICY, allowSignup: true, authSecret: stored.authSecret, queueBackend: "postgres" });
  });

  it("run alone in zero-setup, finds the running product's database in the data dir, and says so when nothing runs", async () => {
    const dir = await dataDir();
    await expect(resolveWebConfig(parseEnv({ SWITCHYARD_DATA_DIR: dir }))).rejects.toThrow("nothing is running from");
    await ensureDataDirSecrets(dir);
    const databaseUrl = "postgres://postgres@127.0.0.1:5998/switchyard";
    await writeRuntimeInfo(dir, { pid: process.pid, databaseUrl, embeddedPostgres: true, gatewayUrl: "http://127.0.0.1:8080", startedAt: new Date().toISOString() });
    expect(await resolveWebConfig(parseEnv({ SWITCHYARD_DATA_DIR: dir }))).toMatchObject({ mode: "zero-setup", databaseUrl });
  });

  it("production: closed by default, refuses an allowlist mode without entries, URLs from the environment", async () => {
    await expect(resolveWebConfig(parseEnv({ DATABASE_URL: DB }))).rejects.toThrow("must be set when DATABASE_URL is set");
    await expect(resolveWebConfig(parseEnv({ DATABASE_URL: DB, ...secrets, STDIO_SERVERS: "allowlist" }))).rejects.toThrow("STDIO_COMMAND_ALLOWLIST");
    const config = await resolveWebConfig(
      parseEnv({ DATABASE_URL: DB, ...secrets, REDIS_URL: "redis://cache:6379", PUBLIC_GATEWAY_URL: "https://mcp.example.com/", PUBLIC_WEB_URL: "https://console.example.com/" }),
    );
    expect(config).toMatchObject({
      mode: "production",
      databaseUrl: DB,
      queueBackend: "redis",
      policy: { stdio: "off", stdioAllowlist: [], allowPrivateUpstreams: false },
      allowSignup: false,
      publicGatewayUrl: "https://mcp.example.com",
      gatewayInternalUrl: "https://mcp.example.com",
      publicWebUrl: "https://console.example.com",
    });
  });
});
