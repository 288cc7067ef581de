/**
 * The console's main flow over the built app, a real gateway and worker, in Chromium: sign up,
 * team, project, import server-everything, refresh to online, API key whose copied snippet works
 * with the SDK client, a disabled tool vanishing from tools/list, and a reporter who joins by
 * invitation and sees servers but no secrets, no payloads, no add-server and no try-it.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createUser } from "@switchyard/core/services";
import { createTestDatabase, type TestDatabase } from "@switchyard/db/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "../harness/browser";
import { startStack, type Stack } from "../harness/stack";

const EVERYTHING = join(import.meta.dirname, "..", "..", "..", "..", "node_modules", ".bin", "mcp-server-everything");
const PASSWORD = "e2e password 1234";
const run = randomBytes(3).toString("hex");
const owner = { name: "Olivia Owner", email: `owner-${run}@example.test` };
const reporter = { name: "Rita Reporter", email: `reporter-${run}@example.test` };
const MESSAGE = `hello-from-e2e-${run}`;

let tdb: TestDatabase;
let stack: Stack;
let browser: Browser;
let ownerCtx: BrowserContext;
let page: Page;
let projectPath = "";
let snippetUrl = "";
let snippetKey = "";

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ""}`);
}

async function sdkClient(url: string, key: string): Promise<Client> {
  const client = new Client({ name: "e2e-sdk", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
  return client;
}

async function pickSelect(p: Page, label: string, option: string): Promise<void> {
  await p.getByRole("combobox", { name: label, exact: true }).click();
  await p.getByRole("option", { name: option }).click();
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  stack = await startStack({ databaseUrl: tdb.url, gateway: true, worker: true, name: "flow" });
  browser = await launchBrowser();
  ownerCtx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await ownerCtx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.consoleUrl });
  page = await ownerCtx.newPage();
  page.setDefaultTimeout(20_000);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await tdb?.drop();
});

describe("console main flow", () => {
  it("signs up, creates a team and a project", async () => {
    await page.goto(`${stack.consoleUrl}/signup`);
    await screenshot(page, "01-signup");
    await page.getByLabel("Name").fill(owner.name);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/teams/new");
    await page.getByLabel("Team name").fill(`Platform ${run}`);
    await page.getByRole("button", { name: "Create team" }).click();
    await page.waitForURL(/\/t\/platform-/);
    await page.getByText("No projects yet").waitFor();
    await screenshot(page, "02-team-empty");
    await page.getByRole("button", { name: "New project" }).first().click();
    await page.getByLabel("Name").fill("Developer tools");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(/\/p\/developer-tools$/);
    projectPath = new URL(page.url()).pathname;
    expect(await page.getByTestId("endpoint-url").textContent()).toMatch(new RegExp(`^${stack.gatewayUrl}/projects/[0-9a-f-]{36}/mcp$`));
    await screenshot(page, "03-project-overview-empty");
  });

  it("imports server-everything from pasted JSON with a preview, then refreshes it to online with its tools", async () => {
    await page.goto(`${stack.consoleUrl}${projectPath}/servers`);
    await page.getByTestId("empty-state").waitFor();
    await page.getByRole("link", { name: "Add server" }).first().click();
    await page.getByRole("tab", { name: "Paste mcpServers JSON" }).click();
    await page.getByRole("textbox", { name: "mcpServers JSON" }).fill(JSON.stringify({ mcpServers: { Everything: { command: EVERYTHING, args: ["stdio"] }, "bad entry": { args: [] } } }));
    await page.getByTestId("preview-import").click();
    await page.getByTestId("import-preview").waitFor();
    expect(await page.locator('[data-testid="import-entry"][data-valid="false"]').count()).toBe(1);
    expect(await page.getByTestId("run-import").isDisabled()).toBe(true);
    await screenshot(page, "04-import-preview-errors");
    await page.getByRole("textbox", { name: "mcpServers JSON" }).fill(JSON.stringify({ mcpServers: { Everything: { command: EVERYTHING, args: ["stdio"] } } }));
    await page.getByTestId("preview-import").click();
    await page.locator('[data-testid="import-entry"][data-valid="true"]').waitFor();
    await page.getByTestId("run-import").click();
    await page.waitForURL(/\/servers$/);
    await page.getByTestId("refresh-all").click();
    await page.locator('[data-testid="server-row"][data-server="everything"][data-status="online"]').waitFor({ timeout: 90_000 });
    const tools = Number(await page.locator('[data-server="everything"] [data-testid="tools-count"]').textContent());
    expect(tools).toBeGreaterThan(3);
    await screenshot(page, "05-servers-online");
    // The table is drawn again when the refresh ends: click the link of the final table.
    await page.getByText("Refreshing servers").waitFor({ state: "hidden", timeout: 30_000 });
    await page.getByRole("link", { name: "everything", exact: true }).click();
    await page.waitForURL(/\/servers\/everything$/);
    await page.goto(`${page.url()}/tools`);
    await page.locator('[data-testid="tool-row"][data-tool="echo"]').waitFor();
    await screenshot(page, "06-server-tools");
  });

  it("creates an API key whose copied snippet URL and key work with the SDK client", async () => {
    await page.goto(`${stack.consoleUrl}${projectPath}/keys`);
    await page.getByRole("button", { name: "Create key" }).first().click();
    await page.getByLabel("Name").fill("e2e laptop");
    await page.getByRole("button", { name: "Create key" }).last().click();
    await page.getByTestId("new-api-key").waitFor();
    await screenshot(page, "07-key-created");
    await page.getByRole("button", { name: "Copy snippet" }).first().click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const doc = JSON.parse(copied) as { mcpServers: Record<string, { url: string; headers: { Authorization: string } }> };
    const entry = Object.values(doc.mcpServers)[0];
    if (!entry) throw new Error(`no server in the copied snippet: ${copied}`);
    snippetUrl = entry.url;
    snippetKey = entry.headers.Authorization.replace(/^Bearer /, "");
    expect(snippetKey).toMatch(/^sy_/);
    const client = await sdkClient(snippetUrl, snippetKey);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("everything__echo");
      const result = await client.callTool({ name: "everything__echo", arguments: { message: MESSAGE } });
      expect(JSON.stringify(result.content)).toContain(MESSAGE);
    } finally {
      await client.close();
    }
    await page.getByRole("button", { name: "I have copied it" }).click();
    await page.locator('[data-testid="key-row"][data-key-name="e2e laptop"]').waitFor();
    await screenshot(page, "08-keys");
  });

  it("disables a tool and the gateway's tools/list stops offering it", async () => {
    await page.goto(`${stack.consoleUrl}${projectPath}/tools`);
    const row = page.locator('[data-testid="tool-row"][data-tool="echo"]');
    await row.getByRole("switch").click();
    await page.locator('[data-testid="tool-row"][data-tool="echo"][data-enabled="false"]').waitFor();
    await screenshot(page, "09-tools-echo-disabled");
    await waitFor("echo to leave tools/list", async () => {
      const client = await sdkClient(snippetUrl, snippetKey);
      try {
        const names = (await client.listTools()).tools.map((t) => t.name);
        return names.length > 0 && !names.includes("everything__echo");
      } finally {
        await client.close();
      }
    });
  });

  it("invites a reporter who accepts and sees servers but no secrets, payloads, add-server or try-it", async () => {
    await page.goto(`${stack.consoleUrl}${projectPath.replace(/\/p\/.*$/, "")}/members`);
    await page.getByRole("button", { name: "Invite member" }).click();
    await page.getByLabel("Email").fill(reporter.email);
    await pickSelect(page, "Role", "reporter");
    await page.getByRole("button", { name: "Create invitation" }).click();
    const link = (await page.getByTestId("invite-link").textContent()) ?? "";
    expect(link).toContain("/invite/");
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByTestId("invitation-row").waitFor();
    await screenshot(page, "10-members-pending");

    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const rp = await ctx.newPage();
      rp.setDefaultTimeout(20_000);
      await rp.goto(link);
      await rp.getByRole("link", { name: "Create account" }).click();
      await rp.getByLabel("Name").fill(reporter.name);
      expect(await rp.getByLabel("Email").inputValue()).toBe(reporter.email);
      await rp.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await rp.getByLabel("Confirm password").fill(PASSWORD);
      await rp.getByRole("button", { name: "Create account" }).click();
      await rp.getByRole("button", { name: "Accept invitation" }).click();
      await rp.waitForURL(/\/t\/platform-/);

      await rp.goto(`${stack.consoleUrl}${projectPath}/servers`);
      await rp.locator('[data-testid="server-row"][data-server="everything"]').waitFor();
      expect(await rp.getByRole("link", { name: "Add server" }).count()).toBe(0);
      expect(await rp.getByTestId("refresh-all").count()).toBe(0);
      await screenshot(rp, "11-reporter-servers");

      await rp.goto(`${stack.consoleUrl}${projectPath}/servers/everything/settings`);
      const config = (await rp.getByTestId("server-config").textContent()) ?? "";
      expect(config).toContain("••••");
      expect(config).not.toContain("stdio");
      await screenshot(rp, "12-reporter-server-settings");

      await rp.goto(`${stack.consoleUrl}${projectPath}/servers/everything`);
      await rp.getByTestId("recent-calls").waitFor();
      expect(await rp.content()).not.toContain(MESSAGE);
      await rp.goto(`${stack.consoleUrl}${projectPath}/servers/everything/tools`);
      await rp.locator('[data-testid="tool-row"]').first().waitFor();
      expect(await rp.getByTestId("try-it").count()).toBe(0);
      const addServer = await rp.goto(`${stack.consoleUrl}${projectPath}/servers/new`);
      expect(addServer?.status()).toBe(404);
    } finally {
      await ctx.close();
    }
  });

  it("adds a server by form with inline validation, sees it go offline, and deletes it with confirmation", async () => {
    await page.goto(`${stack.consoleUrl}${projectPath}/servers/new`);
    await page.getByLabel("Name").fill("Bad_Name");
    await pickSelect(page, "Transport", "Streamable HTTP (remote URL)");
    await page.getByLabel("URL").fill("not a url");
    await page.getByRole("button", { name: "Add server" }).click();
    await page.locator('[data-field-error="server-name"]').waitFor();
    await page.locator('[data-field-error="server-url"]').waitFor();
    await screenshot(page, "14a-add-server-form-errors");
    await page.getByLabel("Name").fill("dead-remote");
    await page.getByLabel("URL").fill("http://127.0.0.1:9/mcp");
    await page.getByRole("button", { name: "Add server" }).click();
    await page.waitForURL(/\/servers\/dead-remote$/);
    await page.goto(`${stack.consoleUrl}${projectPath}/servers`);
    await page.locator('[data-testid="server-row"][data-server="dead-remote"]:is([data-status="offline"], [data-status="error"])').waitFor({ timeout: 60_000 });
    await screenshot(page, "14b-servers-with-offline");
    await page.getByRole("button", { name: "Actions for dead-remote" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await page.getByLabel("Type dead-remote to confirm").fill("dead-remote");
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.locator('[data-testid="server-row"][data-server="dead-remote"]').waitFor({ state: "detached" });
  });

  it("shows the owner the try-it result and the call with its payload", async () => {
    await page.goto(`${stack.consoleUrl}${projectPath}/servers/everything/tools`);
    await page.locator('[data-testid="tool-row"][data-tool="get-sum"]').getByTestId("try-it").click();
    await page.getByLabel("Arguments (JSON)").fill(JSON.stringify({ a: 2, b: 40 }));
    await page.getByTestId("run-tool").click();
    await page.getByTestId("try-it-result").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("try-it-result").textContent()).toContain("42");
    await screenshot(page, "13-try-it");
    await page.keyboard.press("Escape");
    await page.goto(`${stack.consoleUrl}${projectPath}/servers/everything`);
    await waitFor("the echo call in recent calls", async () => {
      await page.reload();
      return (await page.getByTestId("recent-calls").count()) > 0;
    });
    await screenshot(page, "14-server-overview");
    await page.goto(`${stack.consoleUrl}${projectPath}`);
    await screenshot(page, "15-project-overview");
    await page.goto(`${stack.consoleUrl}${projectPath}/activity`);
    await page.getByTestId("activity-feed").waitFor();
    await screenshot(page, "16-project-activity");
    await page.goto(`${stack.consoleUrl}${projectPath}/settings`);
    await screenshot(page, "17-project-settings");
  });

  it("shows an instance admin the users, teams, workers and system health pages", async () => {
    await createUser({ db: tdb.db }, { kind: "system" }, { email: `admin-${run}@example.test`, password: PASSWORD, isAdmin: true });
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const ap = await ctx.newPage();
      ap.setDefaultTimeout(20_000);
      await ap.goto(`${stack.consoleUrl}/login`);
      await ap.getByLabel("Email").fill(`admin-${run}@example.test`);
      await ap.getByLabel("Password").fill(PASSWORD);
      await ap.getByRole("button", { name: "Sign in" }).click();
      await ap.waitForURL((u) => !u.pathname.startsWith("/login"));
      await ap.goto(`${stack.consoleUrl}/admin`);
      await ap.locator(`[data-testid="admin-user-row"][data-email="${owner.email}"]`).waitFor();
      await screenshot(ap, "18-admin-users");
      await ap.goto(`${stack.consoleUrl}/admin/teams`);
      await ap.locator('[data-testid="admin-team-row"]').filter({ hasText: owner.email }).first().waitFor();
      await screenshot(ap, "18b-admin-teams");
      await ap.goto(`${stack.consoleUrl}/admin/workers`);
      await ap.locator('[data-testid="worker-job"][data-job="refresh-server-status"]').waitFor();
      await ap.getByTestId("worker-runs").waitFor();
      await screenshot(ap, "19-admin-workers");
      await ap.goto(`${stack.consoleUrl}/admin/health`);
      expect(await ap.locator('[data-testid="health-check"][data-ok="true"]').count()).toBe(3);
      await screenshot(ap, "20-admin-health");
    } finally {
      await ctx.close();
    }
  });
});
