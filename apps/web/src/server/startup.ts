/** The console's start-up check: a bad configuration or unreachable database stops `next start`. */
import { nextProcess } from "@/env";
import { getDeps } from "./deps";

export async function checkConsoleStartup(): Promise<void> {
  if (nextProcess().building) return;
  try {
    const deps = await getDeps();
    await deps.sql`select 1`;
  } catch (e) {
    process.stderr.write(`switchyard console: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
