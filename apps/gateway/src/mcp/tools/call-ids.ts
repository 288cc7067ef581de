/**
 * UUIDv7 ids for tool call log rows, drawn from a pooled buffer of random bytes: one
 * `randomFillSync` per 256 ids instead of one per call on the request path. Same layout as
 * `uuidv7()` of @switchyard/shared (48-bit ms timestamp, version 7, variant 10, random rest).
 */
import { randomFillSync } from "node:crypto";

const IDS_PER_FILL = 256;
const pool = Buffer.alloc(10 * IDS_PER_FILL);
let offset = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function callId(now: number = Date.now()): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = offset;
  offset += 10;
  const hex = (i: number) => HEX[pool[r + i] ?? 0] ?? "00";
  const ms = now.toString(16).padStart(12, "0").slice(-12);
  const version = HEX[0x70 | ((pool[r] ?? 0) & 0x0f)] ?? "70";
  const variant = HEX[0x80 | ((pool[r + 2] ?? 0) & 0x3f)] ?? "80";
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-${version}${hex(1)}-${variant}${hex(3)}-${hex(4)}${hex(5)}${hex(6)}${hex(7)}${hex(8)}${hex(9)}`;
}
