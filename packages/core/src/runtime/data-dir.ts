/**
 * The zero-setup data directory: generated secrets (0600) and `runtime.json`, which tells a CLI
 * started in another terminal where the running product's database and ports are.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { generateSecretKey } from "../secrets";

export interface DataDirSecrets {
  secretKey: string;
  authSecret: string;
}

/** Where the generated zero-setup secrets live inside the data dir (0600). */
export const DATA_DIR_SECRET_FILES = { secretKey: "secret-key", authSecret: "auth-secret" } as const;

async function readOrCreate(file: string, make: () => string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const value = make();
  // "wx": if another process created it meanwhile, keep theirs and read it back.
  await writeFile(file, `${value}\n`, { mode: 0o600, flag: "wx" }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== "EEXIST") throw e;
  });
  await chmod(file, 0o600);
  return (await readFile(file, "utf8")).trim();
}

export async function ensureDataDir(dataDir: string): Promise<string> {
  const dir = resolve(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  return dir;
}

/** Reads the generated secrets, creating them on first start. */
export async function ensureDataDirSecrets(dataDir: string): Promise<DataDirSecrets> {
  const dir = await ensureDataDir(dataDir);
  return {
    secretKey: await readOrCreate(join(dir, DATA_DIR_SECRET_FILES.secretKey), generateSecretKey),
    authSecret: await readOrCreate(join(dir, DATA_DIR_SECRET_FILES.authSecret), () => randomBytes(32).toString("base64url")),
  };
}

/** Reads a generated secret without creating it (for processes that must not invent one). */
export async function readDataDirSecrets(dataDir: string): Promise<Partial<DataDirSecrets>> {
  const dir = resolve(dataDir);
  const read = async (f: string) => (existsSync(join(dir, f)) ? (await readFile(join(dir, f), "utf8")).trim() : undefined);
  const secretKey = await read(DATA_DIR_SECRET_FILES.secretKey);
  const authSecret = await read(DATA_DIR_SECRET_FILES.authSecret);
  return { ...(secretKey ? { secretKey } : {}), ...(authSecret ? { authSecret } : {}) };
}

export const runtimeInfoSchema = z.object({
  pid: z.number().int(),
  databaseUrl: z.string(),
  embeddedPostgres: z.boolean(),
  gatewayUrl: z.string(),
  webUrl: z.string().optional(),
  startedAt: z.string(),
});
export type RuntimeInfo = z.infer<typeof runtimeInfoSchema>;

const RUNTIME_FILE = "runtime.json";

export async function writeRuntimeInfo(dataDir: string, info: RuntimeInfo): Promise<void> {
  const dir = await ensureDataDir(dataDir);
  const tmp = join(dir, `${RUNTIME_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, join(dir, RUNTIME_FILE));
}

/** The running product's info, or undefined when nothing is running (stale files are ignored). */
export async function readRuntimeInfo(dataDir: string): Promise<RuntimeInfo | undefined> {
  const file = join(resolve(dataDir), RUNTIME_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = runtimeInfoSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) return undefined;
  try {
    process.kill(parsed.data.pid, 0);
  } catch {
    return undefined;
  }
  return parsed.data;
}

export async function removeRuntimeInfo(dataDir: string): Promise<void> {
  await rm(join(resolve(dataDir), RUNTIME_FILE), { force: true });
}
