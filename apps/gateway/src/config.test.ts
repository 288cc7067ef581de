import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSecretKey } from "@switchyard/core/secrets";
import { resolveConfig } from "./config";
import { parseEnv } from "./env";

const secrets = { SWITCHYARD_SECRET_KEY: generateSecretKey(), AUTH_SECRET: "s".repeat(40) };

describe("resolveConfig", () => {
  it("zero-setup: generates secrets into the data dir and opens up stdio, signup and private upstreams on loopback", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sy-config-"));
    const config = await resolveConfig(parseEnv({ SWITCHYARD_DATA_DIR: join(dir, "data") }), { createSecrets: true });
    expect(config.mode).toBe("zero-setup");
    expect(config.host).toBe("127.0.0.1");
    expect(config.policy).toEqual({ stdio: "on", stdioAllowlist: [], allowPrivateUpstreams: true });
    expect(config.allowSignup).toBe(true);
    expect(config.scratchDir.startsWith(config.dataDir)).toBe(false);
    const again = await resolveConfig(parseEnv({ SWITCHYARD_DATA_DIR: join(dir, "data") }));
    expect(again.secretKey).toBe(config.secretKey);
    expect(again.authSecret).toBe(config.authSecret);
  });

  it("production: closed by default and refuses to start without its secrets", async () => {
    const url = "postgres://u@db.example.com/app";
    await expect(resolveConfig(parseEnv({ DATABASE_URL: url }))).rejects.toThrow("SWITCHYARD_SECRET_KEY and AUTH_SECRET must be set");
    const config = await resolveConfig(parseEnv({ DATABASE_URL: url, ...secrets }));
    expect(config.mode).toBe("production");
    expect(config.policy).toEqual({ stdio: "off", stdioAllowlist: [], allowPrivateUpstreams: false });
    expect(config.allowSignup).toBe(false);
  });

  it("refuses an allowlist mode without entries and a scratch dir inside the data dir", async () => {
    const url = "postgres://u@db.example.com/app";
    await expect(resolveConfig(parseEnv({ DATABASE_URL: url, ...secrets, STDIO_SERVERS: "allowlist" }))).rejects.toThrow("STDIO_COMMAND_ALLOWLIST");
    await expect(
      resolveConfig(parseEnv({ DATABASE_URL: url, ...secrets, SWITCHYARD_DATA_DIR: "/srv/sy", SWITCHYARD_SCRATCH_DIR: "/srv/sy/scratch" })),
    ).rejects.toThrow("must not be inside SWITCHYARD_DATA_DIR");
  });

  it("names every bad variable", () => {
    expect(() => parseEnv({ GATEWAY_PORT: "70000", STDIO_SERVERS: "maybe" })).toThrow(/GATEWAY_PORT[\s\S]*STDIO_SERVERS/);
  });
});
