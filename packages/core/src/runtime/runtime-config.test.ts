import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnvironment } from "@switchyard/shared";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { generateSecretKey } from "../secrets";
import { ZERO_SETUP_POLICY } from "../servers/server-policy";
import { ensureDataDirSecrets } from "./data-dir";
import { ConfigError, resolveRuntimeConfig, runtimeMode } from "./runtime-config";
import { runtimeEnvShape } from "./runtime-env";

const parse = (vars: Record<string, string>) => parseEnvironment(z.object(runtimeEnvShape), vars);
const secrets = { SWITCHYARD_SECRET_KEY: generateSecretKey(), AUTH_SECRET: "a".repeat(40) };
const DB = "postgres://u@db.example.com/app";

describe("runtimeMode", () => {
  it("is production with an external database unless `switchyard start` says zero-setup", () => {
    expect(runtimeMode({})).toBe("zero-setup");
    expect(runtimeMode({ DATABASE_URL: DB })).toBe("production");
    expect(runtimeMode({ DATABASE_URL: DB, SWITCHYARD_MODE: "zero-setup" })).toBe("zero-setup");
    expect(runtimeMode({ SWITCHYARD_MODE: "production" })).toBe("production");
  });
});

describe("resolveRuntimeConfig", () => {
  it("zero-setup: secrets generated into the data dir (read-only processes find them), everything open on loopback, queues on Postgres", async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), "sy-runtime-")), "data");
    await expect(resolveRuntimeConfig(parse({ SWITCHYARD_DATA_DIR: dataDir }))).rejects.toThrow(ConfigError);
    const created = await resolveRuntimeConfig(parse({ SWITCHYARD_DATA_DIR: dataDir }), { createSecrets: true });
    expect(created).toMatchObject({
      mode: "zero-setup",
      dataDir,
      databaseUrl: undefined,
      queueBackend: "postgres",
      host: "127.0.0.1",
      publicGatewayUrl: "http://127.0.0.1:8080",
      policy: ZERO_SETUP_POLICY,
      allowSignup: true,
      generatedSecretFiles: { secretKey: join(dataDir, "secret-key"), authSecret: join(dataDir, "auth-secret") },
    });
    const read = await resolveRuntimeConfig(parse({ SWITCHYARD_DATA_DIR: dataDir }));
    expect([read.secretKey, read.authSecret]).toEqual([created.secretKey, created.authSecret]);
  });

  it("a child of `switchyard start` (embedded DATABASE_URL, SWITCHYARD_MODE=zero-setup) stays zero-setup and reads the generated secrets", async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), "sy-runtime-")), "data");
    const stored = await ensureDataDirSecrets(dataDir);
    const config = await resolveRuntimeConfig(parse({ SWITCHYARD_DATA_DIR: dataDir, DATABASE_URL: "postgres://postgres@127.0.0.1:5999/switchyard", SWITCHYARD_MODE: "zero-setup" }));
    expect(config).toMatchObject({ mode: "zero-setup", policy: ZERO_SETUP_POLICY, allowSignup: true, secretKey: stored.secretKey, authSecret: stored.authSecret });
  });

  it("production: secrets required from the environment, closed by default, queues on Redis when REDIS_URL is set", async () => {
    await expect(resolveRuntimeConfig(parse({ DATABASE_URL: DB }))).rejects.toThrow("SWITCHYARD_SECRET_KEY and AUTH_SECRET must be set");
    const config = await resolveRuntimeConfig(parse({ DATABASE_URL: DB, REDIS_URL: "redis://cache:6379", HOST: "0.0.0.0", ...secrets }));
    expect(config).toMatchObject({
      mode: "production",
      databaseUrl: DB,
      redisUrl: "redis://cache:6379",
      queueBackend: "redis",
      publicGatewayUrl: "http://127.0.0.1:8080",
      policy: { stdio: "off", stdioAllowlist: [], allowPrivateUpstreams: false },
      allowSignup: false,
      generatedSecretFiles: {},
    });
    expect(config.keyring.decrypt(config.keyring.encrypt("x"))).toBe("x");
  });

  it("checks the stdio allowlist and the secret key, and names IPv6 hosts and explicit gateway URLs as given", async () => {
    const base = { DATABASE_URL: DB, ...secrets };
    await expect(resolveRuntimeConfig(parse({ ...base, STDIO_SERVERS: "allowlist" }))).rejects.toThrow("STDIO_COMMAND_ALLOWLIST must list commands");
    const allowed = await resolveRuntimeConfig(parse({ ...base, STDIO_SERVERS: "allowlist", STDIO_COMMAND_ALLOWLIST: "npx" }));
    expect(allowed.policy.stdio).toBe("allowlist");
    expect(allowed.policy.stdioAllowlist).toHaveLength(1);
    await expect(resolveRuntimeConfig(parse({ ...base, SWITCHYARD_SECRET_KEY: "not a key but long enough to pass zod's check" }))).rejects.toThrow("SWITCHYARD_SECRET_KEY:");
    expect((await resolveRuntimeConfig(parse({ ...base, HOST: "::1", GATEWAY_PORT: "9000" }))).publicGatewayUrl).toBe("http://[::1]:9000");
    expect((await resolveRuntimeConfig(parse({ ...base, PUBLIC_GATEWAY_URL: "https://mcp.example.com/" }))).publicGatewayUrl).toBe("https://mcp.example.com");
  });
});
