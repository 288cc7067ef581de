import { createHash, randomBytes } from "node:crypto";

/** Project API keys: `sy_` + 32 random bytes in base64url. Only the sha-256 is stored. */
export const API_KEY_PREFIX = "sy_";
const DISPLAY_LENGTH = 10;

export interface ApiKeyMaterial {
  key: string;
  prefix: string;
  hash: string;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): ApiKeyMaterial {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, DISPLAY_LENGTH), hash: hashApiKey(key) };
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(API_KEY_PREFIX) && value.length === API_KEY_PREFIX.length + 43;
}
