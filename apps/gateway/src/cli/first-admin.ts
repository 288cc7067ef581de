/**
 * The first instance admin: in production ADMIN_EMAIL + ADMIN_PASSWORD, required while no user
 * exists; in zero-setup a generated account. Its password is written to a 0600 file in the data
 * dir before the account is created, so a start that fails later never loses it, and `start`
 * shows it on every start until that admin has signed in once; then the file is removed.
 */
import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CLI_ACTOR } from "@switchyard/core/context";
import { ConfigError } from "@switchyard/core/runtime";
import { createUser, isFirstUser } from "@switchyard/core/services";
import { getUserByEmail, type Database } from "@switchyard/db";
import type { Config } from "../config";

export const FIRST_ADMIN_FILE = "first-admin.txt";

export interface FirstAdmin {
  email: string;
  /** Generated here; absent when it came from ADMIN_PASSWORD. */
  password?: string;
  /** Where the generated password is kept until the first sign-in. */
  file?: string;
  /** True on the start that created the account. */
  created: boolean;
}

interface Saved {
  email: string;
  password: string;
}

async function readSaved(file: string): Promise<Saved | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  const email = /^email: (.+)$/m.exec(text ?? "")?.[1];
  const password = /^password: (.+)$/m.exec(text ?? "")?.[1];
  return email && password ? { email, password } : undefined;
}

async function save(file: string, saved: Saved): Promise<void> {
  const text = `# Switchyard's first instance admin; removed once this admin has signed in.\nemail: ${saved.email}\npassword: ${saved.password}\n`;
  await writeFile(file, text, { mode: 0o600 });
}

export async function ensureFirstAdmin(db: Database, config: Config): Promise<FirstAdmin | undefined> {
  const file = join(config.dataDir, FIRST_ADMIN_FILE);
  const saved = await readSaved(file);
  if (await isFirstUser({ db })) {
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = config.env;
    if (ADMIN_EMAIL && ADMIN_PASSWORD) {
      await createUser({ db }, CLI_ACTOR, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, isAdmin: true, name: "Admin" });
      return { email: ADMIN_EMAIL.toLowerCase(), created: true };
    }
    if (config.mode === "production") throw new ConfigError("ADMIN_EMAIL and ADMIN_PASSWORD must be set on first start (no user exists yet)");
    // A saved password whose account was never created (a start stopped in between) is reused.
    const admin = saved ?? { email: ADMIN_EMAIL ?? "admin@switchyard.local", password: randomBytes(12).toString("base64url") };
    if (!saved) await save(file, admin);
    await createUser({ db }, CLI_ACTOR, { email: admin.email, password: admin.password, isAdmin: true, name: "Admin" });
    return { ...admin, file, created: true };
  }
  if (!saved) return undefined;
  const user = await getUserByEmail(db, saved.email);
  if (!user || user.lastLoginAt) {
    await rm(file, { force: true });
    return undefined;
  }
  return { ...saved, file, created: false };
}
