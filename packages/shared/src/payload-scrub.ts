/**
 * What the gateway stores of a tool call's payloads: known secret values and the project's
 * redaction rules scrubbed out, anything past a size limit replaced by a short preview, or
 * nothing at all under the `metadata_only` policy. Pure and runtime-neutral (console uses it too).
 */
import type { LogPayloadPolicy } from "./enums";
import type { RedactionRule } from "./project-settings";

/** Serialized size past which a payload is stored as a preview only. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
/** Replaces a known secret value wherever it appears. */
export const SECRET_MASK = "[SECRET]";
/** Replaces the value of a property matched by a key rule. */
export const REDACTED_MASK = "[REDACTED]";

/** Deeper structures are cut here: payloads come from JSON.parse, so this only guards against abuse. */
const MAX_DEPTH = 64;

export interface ScrubOptions {
  /** Exact values to remove (server env and header values); empty strings are ignored. */
  secrets: readonly string[];
  rules: readonly RedactionRule[];
  /**
   * Also mask credentials recognisable by their shape (URL user info, bearer tokens, Switchyard
   * keys, `token=`-like query values): for text nobody chose to show, such as stderr and errors.
   */
  credentials?: boolean;
}

/** Credential shapes masked in events and errors; each keeps its harmless context and masks the value. */
const CREDENTIAL_PATTERNS: { re: RegExp; replacement: string }[] = [
  // scheme://user:password@host
  { re: /([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, replacement: `$1${SECRET_MASK}@` },
  { re: /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, replacement: `$1 ${SECRET_MASK}` },
  { re: /\b(syc?_)[A-Za-z0-9._-]{16,}/g, replacement: `$1${SECRET_MASK}` },
  { re: /((?:^|[?&;\s"'])(?:[a-z0-9_-]*(?:token|secret|password|passwd|api[_-]?key|apikey|auth|signature|sig|key))[=:]\s*)[^&\s"']+/gim, replacement: `$1${SECRET_MASK}` },
];

/** Masks credential-shaped substrings (see CREDENTIAL_PATTERNS). */
export function redactCredentials(text: string): string {
  let s = text;
  for (const { re, replacement } of CREDENTIAL_PATTERNS) {
    re.lastIndex = 0;
    s = s.replace(re, replacement);
  }
  return s;
}

export type PayloadScrubber = (value: unknown) => unknown;

/**
 * Compiles secrets and rules once; the returned function deep-copies a JSON-like value with
 * secrets masked (in string values and keys), regex rules applied to string values, and the value
 * of every property whose key matches a key rule (case-insensitive, any depth) masked.
 * The copy is JSON-safe: NUL characters and lone surrogates, which Postgres jsonb rejects, are replaced.
 */
export function createPayloadScrubber(options: ScrubOptions): PayloadScrubber {
  const secrets = secretVariants(options.secrets);
  const regexes: { re: RegExp; replacement: string }[] = [];
  const maskedKeys = new Set<string>();
  for (const rule of options.rules) {
    if (rule.type === "key") maskedKeys.add(rule.key.toLowerCase());
    else regexes.push({ re: new RegExp(rule.pattern, "g"), replacement: rule.replacement });
  }

  const scrubString = (input: string): string => {
    let s = sanitizeString(input);
    for (const secret of secrets) if (s.includes(secret)) s = s.split(secret).join(SECRET_MASK);
    for (const { re, replacement } of regexes) {
      re.lastIndex = 0;
      s = s.replace(re, replacement);
    }
    return options.credentials ? redactCredentials(s) : s;
  };
  const scrubKey = (input: string): string => {
    let s = sanitizeString(input);
    for (const secret of secrets) if (s.includes(secret)) s = s.split(secret).join(SECRET_MASK);
    return s;
  };

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return scrubString(value);
    if (value === null || typeof value === "number" || typeof value === "boolean") return value;
    if (typeof value === "bigint") return value.toString();
    if (typeof value !== "object") return undefined; // functions, symbols, undefined: as JSON.stringify
    if (depth >= MAX_DEPTH) return "[MAX_DEPTH]";
    const withJson = value as { toJSON?: unknown };
    if (typeof withJson.toJSON === "function") return walk((withJson.toJSON as () => unknown).call(value), depth + 1);
    if (Array.isArray(value)) return value.map((v: unknown) => walk(v, depth + 1) ?? null);
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (maskedKeys.has(key.toLowerCase())) {
        out[scrubKey(key)] = REDACTED_MASK;
        continue;
      }
      const scrubbed = walk(v, depth + 1);
      if (scrubbed !== undefined) out[scrubKey(key)] = scrubbed;
    }
    return out;
  };

  return (value) => walk(value, 0);
}

/** One-off scrub; prefer `createPayloadScrubber` when the same options serve many payloads. */
export function scrubPayload(value: unknown, options: ScrubOptions): unknown {
  return createPayloadScrubber(options)(value);
}

/** Longest first, so a secret containing another is masked whole; URL-encoded forms too. */
function secretVariants(values: readonly string[]): string[] {
  const set = new Set<string>();
  for (const v of values) {
    if (v.length === 0) continue;
    set.add(v);
    const encoded = encodeURIComponent(v);
    if (encoded !== v) set.add(encoded);
  }
  return [...set].sort((a, b) => b.length - a.length);
}

// eslint-disable-next-line no-control-regex -- NUL is exactly what Postgres refuses and we must find
const UNSAFE_CHARS = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces what Postgres text and jsonb cannot hold (NUL, unpaired surrogates) with U+FFFD. */
export function sanitizeString(s: string): string {
  if (!UNSAFE_CHARS.test(s)) return s;
  // eslint-disable-next-line no-control-regex -- see UNSAFE_CHARS
  return s.replace(/\u0000/g, "\uFFFD").replace(LONE_SURROGATE, "\uFFFD");
}

/** UTF-8 byte length without allocating an encoded copy. */
export function utf8ByteLength(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

export interface SerializedPayload {
  /** JSON text to store, or null when there is nothing to store. */
  json: string | null;
  truncated: boolean;
  /** UTF-8 size of the full serialized (scrubbed) payload, null when none. */
  originalSize: number | null;
}

/**
 * Serializes an already-scrubbed value, replacing it by
 * `{ "_truncated": true, "originalSize": n, "preview": "<start of the JSON text>" }` when it is
 * larger than `maxBytes`; the result is always valid JSON of at most `maxBytes` bytes.
 */
export function serializePayload(value: unknown, maxBytes: number = DEFAULT_MAX_PAYLOAD_BYTES): SerializedPayload {
  if (value === undefined) return { json: null, truncated: false, originalSize: null };
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) return { json: null, truncated: false, originalSize: null };
  const originalSize = utf8ByteLength(json);
  if (originalSize <= maxBytes) return { json, truncated: false, originalSize };
  return { json: truncatedJson(json, originalSize, maxBytes), truncated: true, originalSize };
}

/**
 * `serializePayload(scrubber(value))` for a scrubber with nothing to mask (no secrets, no rules),
 * without its deep copy: the value is serialized as is and read once, to size it and to check
 * that the scrubber would have left it unchanged. Undefined when it would not (NUL or a lone
 * surrogate, which JSON.stringify leaves as `\u` escapes; nesting past MAX_DEPTH; a BigInt or a
 * cycle): the caller scrubs then.
 */
export function serializeUnscrubbed(value: unknown, maxBytes: number = DEFAULT_MAX_PAYLOAD_BYTES): SerializedPayload | undefined {
  // undefined for a function or undefined at the top, as for serializePayload.
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return undefined;
  }
  if (json === undefined) return { json: null, truncated: false, originalSize: null };
  const originalSize = safeJsonSize(json);
  if (originalSize < 0) return undefined;
  if (originalSize <= maxBytes) return { json, truncated: false, originalSize };
  return { json: truncatedJson(json, originalSize, maxBytes), truncated: true, originalSize };
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;

/** UTF-8 size of JSON text from JSON.stringify, or -1 when it escapes NUL or a lone surrogate or nests past MAX_DEPTH. */
function safeJsonSize(json: string): number {
  let bytes = 0;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x80) {
      bytes += 1;
      if (inString) {
        if (c === QUOTE) inString = false;
        else if (c === BACKSLASH) {
          const next = json.charCodeAt(i + 1);
          if (next === 0x75 /* u */) {
            const code = parseInt(json.slice(i + 2, i + 6), 16);
            if (code === 0 || (code >= 0xd800 && code <= 0xdfff)) return -1;
            bytes += 5;
            i += 5;
          } else {
            bytes += 1;
            i += 1;
          }
        }
      } else if (c === QUOTE) inString = true;
      else if (c === 0x7b || c === 0x5b) {
        // The scrubber cuts an object or array found at depth MAX_DEPTH (the root is at 0).
        if (++depth > MAX_DEPTH) return -1;
      } else if (c === 0x7d || c === 0x5d) depth--;
    } else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < json.length) {
      const next = json.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function truncatedJson(json: string, originalSize: number, maxBytes: number): string {
  const wrap = (preview: string) => JSON.stringify({ _truncated: true, originalSize, preview });
  let chars = Math.min(json.length, Math.max(0, maxBytes - 80));
  for (;;) {
    let preview = json.slice(0, chars);
    const last = preview.charCodeAt(preview.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) preview = preview.slice(0, -1); // never split a surrogate pair
    const out = wrap(preview);
    const size = utf8ByteLength(out);
    if (size <= maxBytes || chars === 0) return out;
    // Escaping and multi-byte characters grew the text: shrink in proportion, with a margin.
    chars = Math.floor((chars * (maxBytes - 80)) / size * 0.9);
  }
}

/** Truncation as a value: `{ value, truncated, originalSize }` where a truncated value is the preview object. */
export function truncatePayload(
  value: unknown,
  maxBytes: number = DEFAULT_MAX_PAYLOAD_BYTES,
): { value: unknown; truncated: boolean; originalSize: number } {
  const s = serializePayload(value, maxBytes);
  if (s.json === null) return { value: null, truncated: false, originalSize: 0 };
  return { value: s.truncated ? (JSON.parse(s.json) as unknown) : value, truncated: s.truncated, originalSize: s.originalSize ?? 0 };
}

export interface PayloadPolicyOptions extends ScrubOptions {
  policy: LogPayloadPolicy;
  maxPayloadBytes?: number;
}

/** The whole pipeline for one payload: policy, scrub, serialize, truncate. */
export function preparePayload(value: unknown, options: PayloadPolicyOptions, scrubber?: PayloadScrubber): SerializedPayload {
  if (options.policy === "metadata_only") return { json: null, truncated: false, originalSize: null };
  const scrub = scrubber ?? createPayloadScrubber(options);
  return serializePayload(scrub(value), options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
}
