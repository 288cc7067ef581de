/**
 * The official MCP conformance suite through the gateway (`npm run test:conformance` runs this
 * file alone): the reference upstream (conformance/reference-server.ts) must pass every active
 * server scenario directly, and every scenario it passes must pass through its per-server
 * endpoint and through the project endpoint too, each behind the loopback proxy a configured
 * client amounts to (API key added; names prefixed on the project endpoint).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLoopbackProxy } from "../conformance/loopback-proxy";
import { startReferenceServer } from "../conformance/reference-server";
import { runSuite, scenarioTable, type ScenarioResult } from "../conformance/suite";
import { type GatewayFixture, startFixture } from "@switchyard/gateway/testing";

let reference: Awaited<ReturnType<typeof startReferenceServer>>;
let proxy: Awaited<ReturnType<typeof startLoopbackProxy>>;
let fx: GatewayFixture;

beforeAll(async () => {
  reference = await startReferenceServer();
  proxy = await startLoopbackProxy();
  // The gateway's DNS-rebinding guard admits the proxy's Host as its public URL.
  fx = await startFixture({}, { PUBLIC_GATEWAY_URL: proxy.origin });
  const { key } = await fx.newKey();
  await fx.addServer({ name: "ref", transport: "streamable_http", url: reference.url, timeoutMs: 20_000 });
  proxy.route({ gatewayUrl: fx.url, key, serverPath: `/projects/${fx.project.id}/servers/ref/mcp`, projectPath: `/projects/${fx.project.id}/mcp`, prefix: "ref__" });
}, 60_000);

afterAll(async () => {
  await fx?.close();
  await proxy?.close();
  await reference?.close();
});

it("passes through both endpoint kinds every conformance scenario the reference upstream passes directly", async () => {
  const direct = await runSuite(reference.url);
  const perServer = await runSuite(`${proxy.origin}/server/mcp`);
  const project = await runSuite(`${proxy.origin}/project/mcp`);
  console.log(scenarioTable({ direct, "per-server": perServer, project }));
  const regressions = (through: Map<string, ScenarioResult>, label: string) =>
    [...direct.entries()].filter(([name, r]) => r.passed && !through.get(name)?.passed).map(([name]) => `${name} (${label}): ${through.get(name)?.failures.join("; ") ?? "not run"}`);
  expect(direct.size).toBeGreaterThanOrEqual(30);
  expect([...direct.values()].every((r) => r.passed)).toBe(true);
  expect([...regressions(perServer, "per-server"), ...regressions(project, "project")]).toEqual([]);
}, 600_000);
