/**
 * Names of aggregated tools and prompts: `{server}{sep}{name}`. Clients (and the models behind
 * them) reject names over 64 characters, so longer ones are cut and suffixed with a stable hash
 * of the full name. The hash is pure JS (FNV-1a 64) so every gateway instance, the worker and
 * the console compute the same name.
 */

export const MAX_EXPOSED_NAME_LENGTH = 64;
export const NAME_HASH_LENGTH = 8;
/** Joins the cut name and its hash: `{first 55 chars}_{8-char hash}`. */
const HASH_JOINER = "_";
const HEAD_LENGTH = MAX_EXPOSED_NAME_LENGTH - NAME_HASH_LENGTH - HASH_JOINER.length;
const BASE32 = "0123456789abcdefghijklmnopqrstuv";

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** FNV-1a 64 over the UTF-8 bytes of `input`, as 8 base32 characters (the top 40 bits). */
export function stableNameHash(input: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(input)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  let out = "";
  for (let i = 0; i < NAME_HASH_LENGTH; i++) {
    const shift = BigInt(64 - 5 * (i + 1));
    out += BASE32[Number((hash >> shift) & 31n)] ?? "0";
  }
  return out;
}

/** The name a client sees for `name` of `server` on the project endpoint. */
export function exposedName(server: string, separator: string, name: string): string {
  const full = `${server}${separator}${name}`;
  if (full.length <= MAX_EXPOSED_NAME_LENGTH) return full;
  return `${full.slice(0, HEAD_LENGTH)}${HASH_JOINER}${stableNameHash(full)}`;
}

export interface ParsedExposedName {
  server: string;
  /** The upstream name; for a cut name (`hashed`), only its first characters. */
  name: string;
  /**
   * The name has the shape of a cut one (64 characters ending in `_` + 8-char hash): only a
   * catalogue lookup gives the full upstream name. A natural 64-character name of that shape is
   * possible, so callers resolve through their catalogue either way.
   */
  hashed: boolean;
}

/**
 * Splits an exposed name back into server and upstream name. Server names never contain `_`
 * and every separator does, so the first `_` in the name belongs to the separator.
 * Undefined when the name has no separator where one must be.
 */
export function parseExposedName(exposed: string, separator: string): ParsedExposedName | undefined {
  const firstUnderscore = exposed.indexOf("_");
  const sepUnderscore = separator.indexOf("_");
  if (firstUnderscore < 0 || sepUnderscore < 0) return undefined;
  const start = firstUnderscore - sepUnderscore;
  if (start <= 0 || exposed.slice(start, start + separator.length) !== separator) return undefined;
  const server = exposed.slice(0, start);
  const name = exposed.slice(start + separator.length);
  if (!name) return undefined;
  const hashed = exposed.length === MAX_EXPOSED_NAME_LENGTH && exposed[HEAD_LENGTH] === HASH_JOINER && /^[0-9a-v]{8}$/.test(exposed.slice(HEAD_LENGTH + 1));
  return { server, name: hashed ? name.slice(0, HEAD_LENGTH - start - separator.length) : name, hashed };
}
