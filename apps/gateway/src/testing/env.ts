/** The environment the gateway's test support reads: the only place in src/testing/ that looks at process.env. */

/** This process's environment, for child processes a test starts with its own variables on top. */
export function inheritedEnv(): Record<string, string | undefined> {
  return process.env;
}
