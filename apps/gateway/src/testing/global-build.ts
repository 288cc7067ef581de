/**
 * Tests run the real `switchyard` binary, which runs the bundle in dist/: rebuild it first so a
 * test never exercises yesterday's build (about a second).
 */
import { buildCli } from "../../scripts/build";

export default async function setup(): Promise<void> {
  await buildCli();
}
