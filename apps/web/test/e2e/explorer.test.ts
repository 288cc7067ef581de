/**
 * The log explorer over the built console and a real gateway, in Chromium: 100,000 seeded calls;
 * a typed query updates facets and the URL; a row opens its detail; dragging on the histogram
 * zooms; the copied URL reloads into the same view; live tail shows a call made through the
 * gateway during the test; the sessions page shows that session with its call; the list keeps at
 * most 100 row nodes in the DOM while scrolling through all 100,000 calls. Screenshots go to
 * test-results/screenshots/.
 */
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Keyring } from "@switchyard/core/secrets";
import { ZERO_SETUP_POLICY } from "@switchyard/core/servers";
import { createApiKey, createProject, createTeam, createUser } from "@switchyard/core/services";
import { createDb, type DbHandle } from "@switchyard/db";
import { seedProjectLogs } from "@switchyard/db/seed";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "../harness/browser";
import { loginHttp, startStack, type Stack } from "../harness/stack";

const PASSWORD = "e2e password 1234";
const run = randomBytes(3).toString("hex");
const LIVE_TOOL = `live__probe_${run}`;
const SEEDED = 100_000;

let tdb: TestDatabase;
let stack: Stack;
let handle: DbHandle;
let browser: Browser;
let page: Page;
let logsPath = "";
let sessionsPath = "";
let apiKey = "";
let projectId = "";
/** The seeded calls' time span (an absolute explorer range that always holds all of them). */
let seededSpan = { from: "", to: "" };

beforeAll(async () => {
  tdb = await createTestDatabase();
  stack = await startStack({ databaseUrl: tdb.url, gateway: true, name: "explorer" });
  handle = createDb(tdb.url, { max: 2 });
  const deps = { db: handle.db, keyring: Keyring.fromStrings(stack.secretKey), policy: ZERO_SETUP_POLICY };
  const user = await createUser(deps, { kind: "system" }, { email: `explorer-${run}@example.test`, password: PASSWORD, name: "Ellie Explorer" });
  const actor = { kind: "user" as const, userId: user.id, isAdmin: false };
  const team = await createTeam(deps, actor, { name: `Explorer ${run}`, owner: user.id });
  const project = await createProject(deps, actor, team.id, { name: "Explorer project" });
  projectId = project.id;
  apiKey = (await createApiKey(deps, actor, project, { name: "e2e key" })).key;
  // 100,000 calls over the last 50 minutes: inside the default 1 h range.
  const seedEnd = new Date(Date.now() - 60_000);
  await seedProjectLogs(handle.sql, { projectId: project.id, rows: SEEDED, days: 50 / 1440, end: seedEnd });
  seededSpan = { from: new Date(seedEnd.getTime() - 51 * 60_000).toISOString(), to: seedEnd.toISOString() };
  logsPath = `${stack.consoleUrl}/t/${team.slug}/p/${project.slug}/logs`;
  sessionsPath = `${stack.consoleUrl}/t/${team.slug}/p/${project.slug}/sessions`;
  browser = await launchBrowser();
  const ctx = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
  const cookie = await loginHttp(stack.consoleUrl, user.email, PASSWORD);
  await ctx.addCookies(cookie.split("; ").map((c) => {
    const i = c.indexOf("=");
    return { name: c.slice(0, i), value: c.slice(i + 1), url: stack.consoleUrl };
  }));
  page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await handle?.close();
  await tdb?.drop();
});

describe("log explorer", () => {
  it("opens on the last hour with metrics, histogram, facets and the newest calls", async () => {
    await page.goto(logsPath);
    await page.locator('[data-testid="call-row"]').first().waitFor();
    await expect.poll(async () => page.getByTestId("metrics").innerText(), { timeout: 30_000 }).toContain("100,000");
    await page.getByTestId("histogram").locator("rect").first().waitFor();
    await page.getByTestId("facet-server").getByText("github").waitFor();
    await screenshot(page, "explorer-01-opened");
  });

  it("keeps at most 100 row nodes in the DOM while scrolling through all 100,000 calls", async () => {
    // The seeded span as an absolute range: all 100,000 calls, however long the test has run.
    await page.goto(`${logsPath}?from=${encodeURIComponent(seededSpan.from)}&to=${encodeURIComponent(seededSpan.to)}`);
    await page.locator('[data-testid="call-row"]').first().waitFor();
    const list = page.getByTestId("call-list");
    // In the page: scroll to the end again and again (each time the next page loads) until every
    // call is loaded, counting the row nodes on every animation frame; then jump to offsets across
    // the whole list and check the rows drawn there.
    const seen = await list.evaluate(async (el, total) => {
      const rowNodes = () => el.querySelectorAll('[data-testid="call-row"]');
      const loaded = () => Number(/^([\d,]+)/.exec(document.querySelector('[data-testid="list-status"]')?.textContent ?? "")?.[1]?.replace(/,/g, "") ?? 0);
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      let max = 0;
      let frames = 0;
      let maxIndex = 0;
      let sampling = true;
      const sample = () => {
        const rows = rowNodes();
        max = Math.max(max, rows.length);
        frames += 1;
        for (const r of rows) maxIndex = Math.max(maxIndex, Number((r as HTMLElement).dataset.index));
        if (sampling) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
      const deadline = Date.now() + 100_000;
      let stalled = Date.now();
      let last = loaded();
      while (last < total && Date.now() < deadline && Date.now() - stalled < 15_000) {
        el.scrollTop = el.scrollHeight;
        await frame();
        const now = loaded();
        if (now !== last) {
          last = now;
          stalled = Date.now();
        }
      }
      const jumps: { at: number; top: number; first: number; rows: number }[] = [];
      for (const at of [0.1, 0.37, 0.5, 0.83, 1]) {
        el.scrollTop = Math.floor(el.scrollHeight * at);
        await frame();
        await frame();
        const rows = [...rowNodes()].map((r) => Number((r as HTMLElement).dataset.index));
        jumps.push({ at, top: el.scrollTop, first: Math.min(...rows), rows: rows.length });
      }
      sampling = false;
      return { loaded: loaded(), max, frames, maxIndex, jumps };
    }, SEEDED);
    expect(seen.loaded).toBe(SEEDED);
    expect(seen.maxIndex).toBe(SEEDED - 1);
    expect(seen.frames).toBeGreaterThan(100);
    expect(seen.max).toBeGreaterThan(10);
    expect(seen.max).toBeLessThanOrEqual(100);
    for (const j of seen.jumps) {
      expect(j.rows, `at ${j.at}`).toBeGreaterThan(10);
      expect(j.rows, `at ${j.at}`).toBeLessThanOrEqual(100);
      // The rows drawn are the ones at that offset (32 px rows, ten rows of overscan above).
      expect(j.top, `at ${j.at}`).toBeGreaterThan(SEEDED * 32 * j.at - 1000);
      expect(Math.abs(j.first - (Math.floor(j.top / 32) - 10)), `at ${j.at}`).toBeLessThanOrEqual(2);
    }
    await screenshot(page, "explorer-02-scrolled");
    await page.goto(logsPath);
    await page.locator('[data-testid="call-row"]').first().waitFor();
  }, 150_000);

  it("runs a typed query: facets and the URL follow it", async () => {
    const input = page.getByTestId("query-input");
    await input.click();
    await input.fill("status:err");
    await page.getByTestId("query-suggestions").getByText("status:error").waitFor();
    await input.press("Tab");
    await input.press("Enter");
    await page.waitForURL(/q=status%3Aerror/);
    await expect.poll(async () => page.getByTestId("facet-status").locator("li").allInnerTexts(), { timeout: 30_000 }).toEqual([expect.stringMatching(/^error\s/)]);
    await screenshot(page, "explorer-03-query");
    await input.fill("status:error color:red");
    await input.press("Enter");
    await expect(page.getByTestId("query-error").innerText()).resolves.toContain('Unknown field "color"');
    await input.fill("status:error");
    await input.press("Enter");
    await page.getByTestId("query-error").waitFor({ state: "detached" });
  });

  it("expands a row into its detail with input, error and timing", async () => {
    await page.locator('[data-testid="call-row"]').first().click();
    const detail = page.getByTestId("call-detail");
    await detail.getByText("Input").waitFor();
    await expect(detail.innerText()).resolves.toMatch(/Status\s+error/);
    await page.waitForURL(/call=/);
    await screenshot(page, "explorer-04-detail");
  });

  it("zooms into a dragged range of the histogram, and the copied URL reloads into the same view", async () => {
    const before = await page.locator('[data-testid="call-row"]').first().innerText();
    const box = await page.getByTestId("histogram").boundingBox();
    if (!box) throw new Error("no histogram");
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(/from=.*to=/);
    // The zoomed range ends before the newest calls: the first row changes once its page arrives.
    await expect.poll(async () => page.locator('[data-testid="call-row"]').first().innerText(), { timeout: 30_000 }).not.toBe(before);
    const url = page.url();
    const firstRow = await page.locator('[data-testid="call-row"]').first().innerText();
    await screenshot(page, "explorer-05-zoomed");
    const again = await page.context().newPage();
    await again.goto(url);
    await again.locator('[data-testid="call-row"]').first().waitFor();
    expect(again.url()).toBe(url);
    await expect(again.getByTestId("query-input").inputValue()).resolves.toBe("status:error");
    await expect(again.locator('[data-testid="call-row"]').first().innerText()).resolves.toBe(firstRow);
    await again.getByTestId("call-detail").getByText("Input").waitFor();
    await screenshot(again, "explorer-06-reloaded");
    await again.close();
  });

  it("live tail shows a call made through the gateway while the page is open, and the session page shows it", async () => {
    await page.goto(`${logsPath}?tail=1`);
    await page.locator('[data-testid="call-row"]').first().waitFor();
    const client = new Client({ name: "e2e-live-client", version: "9.9.9" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.gatewayUrl}/projects/${projectId}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${apiKey}` } } }));
    try {
      // An unknown tool is refused (and logged as rejected).
      await expect(client.callTool({ name: LIVE_TOOL, arguments: {} })).rejects.toThrow(`Unknown tool: ${LIVE_TOOL}`);
      await page.locator('[data-testid="call-row"]', { hasText: LIVE_TOOL }).waitFor({ timeout: 20_000 });
      await screenshot(page, "explorer-07-live-tail");

      await page.goto(sessionsPath);
      await page.getByTestId("sessions").getByText("e2e-live-client").click();
      await page.getByTestId("session-timeline").getByRole("link", { name: new RegExp(LIVE_TOOL) }).waitFor();
      await expect(page.getByTestId("session-summary").innerText()).resolves.toContain("open");
      await screenshot(page, "explorer-08-session");
    } finally {
      await client.close();
    }
  });
});
