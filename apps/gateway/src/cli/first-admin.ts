/**
 * The first instance admin (SPEC §2): in zero-setup a generated account printed once on the
 * terminal; in production ADMIN_EMAIL + ADMIN_PASSWORD, required while no user exists.
 */
import { randomBytes } from "node:crypto";
import { CLI_ACTOR, createUser, isFirstUser } from "@switchyard/core";
import type { Database } from "@switchyard/db";
import type { Config } from "../config";
import { ConfigError } from "../config";

export interface FirstAdmin {
  email: string;
  /** Only when generated here: shown once. */
  password?: string;
}

export async function ensureFirstAdmin(db: Database, config: Config): Promise<FirstAdmin | undefined> {
  if (!(await isFirstUser({ db }))) return undefined;
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = config.env;
  if (ADMIN_EMAIL && ADMIN_PASSWORD) {
    await createUser({ db }, CLI_ACTOR, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, isAdmin: true, name: "Admin" });
    return { email: ADMIN_EMAIL.toLowerCase() };
  }
  if (config.mode === "production") throw new ConfigError("ADMIN_EMAIL and ADMIN_PASSWORD must be set on first start (no user exists yet)");
  const email = ADMIN_EMAIL ?? "admin@switchyard.local";
  const password = randomBytes(12).toString("base64url");
  await createUser({ db }, CLI_ACTOR, { email, password, isAdmin: true, name: "Admin" });
  return { email, password };
}
