/**
 * Security finding 2 (docs/SECURITY.md): a server's own secret printed on stderr, and a URL with
 * credentials in a "failed to start" event, were stored in `server_events` in the clear and shown
 * to every member of the team on the events page.
 */
import { listServerEvents } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVERYTHING_BIN, everythingServer, type GatewayFixture, startFixture, waitFor } from "@switchyard/gateway/testing";

let fx: GatewayFixture;

beforeAll(async () => {
  fx = await startFixture();
}, 60_000);

afterAll(async () => fx?.close());

async function eventsOf(serverId: string, until: (messages: string) => boolean): Promise<string> {
  return waitFor(
    async () => {
      // What the events page renders: the same query, the same rows.
      const page = await listServerEvents(fx.db.db, fx.project.id, serverId, { limit: 50 });
      const text = page.items.map((e) => `${e.message} ${JSON.stringify(e.details)}`).join("\n");
      return until(text) ? text : undefined;
    },
    20_000,
    "server events",
  );
}

describe("security: scrubbed server events", () => {
  it("stores and shows a secret the server prints on stderr masked", async () => {
    const secret = "tok-9f8e7d6c5b4a39281706";
    const script = `console.error("connecting with API token " + process.env.UPSTREAM_TOKEN); console.error("DONE"); process.argv = [process.argv[0], ${JSON.stringify(EVERYTHING_BIN)}, "stdio"]; await import(${JSON.stringify(EVERYTHING_BIN)});`;
    const server = await fx.addServer(everythingServer("leaky", { args: ["--input-type=module", "-e", script], env: { UPSTREAM_TOKEN: secret } }));
    const client = await fx.connect({ key: (await fx.newKey()).key });
    // A loaded machine can take longer to start the server than a call waits for a first listing.
    await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === "leaky__echo"), 30_000, "leaky listed");
    await client.callTool({ name: "leaky__echo", arguments: { message: "x" } });
    const shown = await eventsOf(server.id, (t) => t.includes("DONE"));
    expect(shown).toContain("connecting with API token [SECRET]");
    expect(shown).not.toContain(secret);
  }, 60_000);

  it("masks the credentials of an upstream URL in a failed-to-start event", async () => {
    const server = await fx.addServer({ name: "remote", transport: "streamable_http", url: "http://alice:s3cr3t-pass@127.0.0.1:9/mcp?api_key=k-123456789", timeoutMs: 5_000 });
    await fx.gateway.projectChanged(fx.project.id);
    const client = await fx.connect({ key: (await fx.newKey()).key });
    // Listing tools of a server with no catalogue yet starts it (and it fails: nothing listens on port 9).
    await client.listTools();
    const shown = await eventsOf(server.id, (t) => t.includes("failed to start"));
    expect(shown).not.toContain("s3cr3t-pass");
    expect(shown).not.toContain("k-123456789");
  }, 60_000);
});
