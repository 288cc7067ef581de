/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { RESULTS_DIR } from "./processes";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** Saves a full-page screenshot under test-results/screenshots/ (kept as a test artifact). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(RESULTS_DIR, "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
