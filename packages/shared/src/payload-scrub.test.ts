import { describe, expect, it } from "vitest";
import {
  createPayloadScrubber,
  redactCredentials,
  preparePayload,
  REDACTED_MASK,
  sanitizeString,
  scrubPayload,
  SECRET_MASK,
  serializePayload,
  serializeUnscrubbed,
  truncatePayload,
  utf8ByteLength,
} from "./payload-scrub";
import type { RedactionRule } from "./project-settings";

describe("scrubPayload", () => {
  it("masks every occurrence of a secret in strings at any depth, and in keys", () => {
    const out = scrubPayload(
      { a: "token=sk-live-123 and again sk-live-123", b: [{ c: "x sk-live-123 y" }, 5, true, null], "sk-live-123": 1 },
      { secrets: ["sk-live-123"], rules: [] },
    );
    expect(out).toEqual({
      a: `token=${SECRET_MASK} and again ${SECRET_MASK}`,
      b: [{ c: `x ${SECRET_MASK} y` }, 5, true, null],
      [SECRET_MASK]: 1,
    });
  });

  it("masks the longer of two overlapping secrets whole and also its URL-encoded form", () => {
    const out = scrubPayload(["abcd", "abcdefgh", "q=a%2Fb%3Dc"], { secrets: ["abcd", "abcdefgh", "a/b=c"], rules: [] });
    expect(out).toEqual([SECRET_MASK, SECRET_MASK, `q=${SECRET_MASK}`]);
  });

  it("ignores empty secrets instead of masking between every character", () => {
    expect(scrubPayload({ a: "hello" }, { secrets: [""], rules: [] })).toEqual({ a: "hello" });
  });

  it("applies regex rules to string values only, with their replacement", () => {
    const rules: RedactionRule[] = [{ type: "regex", pattern: "\\b\\d{4}-\\d{4}\\b", replacement: "####" }];
    const out = scrubPayload({ "1234-5678": "card 1234-5678, 9999-0000", n: 12345678 }, { secrets: [], rules });
    expect(out).toEqual({ "1234-5678": "card ####, ####", n: 12345678 });
  });

  it("masks the whole value of a key rule's property at any depth, case-insensitively", () => {
    const rules: RedactionRule[] = [{ type: "key", key: "password" }];
    const out = scrubPayload(
      { user: "ann", Password: "hunter2", nested: [{ PASSWORD: { deep: 1 } }, { other: "keep" }] },
      { secrets: [], rules },
    );
    expect(out).toEqual({ user: "ann", Password: REDACTED_MASK, nested: [{ PASSWORD: REDACTED_MASK }, { other: "keep" }] });
  });

  it("reuses a compiled scrubber across payloads with global regexes", () => {
    const scrub = createPayloadScrubber({ secrets: [], rules: [{ type: "regex", pattern: "x", replacement: "y" }] });
    expect(scrub("xx")).toBe("yy");
    expect(scrub("axa")).toBe("aya");
  });

  it("does not modify the input value", () => {
    const input = { a: "secret-value", b: { c: "secret-value" } };
    scrubPayload(input, { secrets: ["secret-value"], rules: [] });
    expect(input).toEqual({ a: "secret-value", b: { c: "secret-value" } });
  });

  it("produces JSON-safe output: NUL and lone surrogates replaced, undefined dropped, bigint as text", () => {
    const out = scrubPayload({ a: "x\u0000y", b: "\ud800z", c: undefined, d: [undefined], e: 10n }, { secrets: [], rules: [] });
    expect(out).toEqual({ a: "x\uFFFDy", b: "\uFFFDz", d: [null], e: "10" });
  });

  it("cuts structures deeper than the depth limit instead of overflowing the stack", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const json = JSON.stringify(scrubPayload(deep, { secrets: [], rules: [] }));
    expect(json).toContain("[MAX_DEPTH]");
  });
});

describe("serializeUnscrubbed (nothing to scrub: no deep copy)", () => {
  const scrubbed = (v: unknown, max?: number) => serializePayload(scrubPayload(v, { secrets: [], rules: [] }), max);

  it("stores what scrubbing and serializing would: text, sizes, escapes, truncation", () => {
    let nested: unknown = { leaf: "x" };
    for (let i = 0; i < 63; i++) nested = [nested];
    const payloads: unknown[] = [
      { content: [{ type: "text", text: "Echo: héllo 😀 \\u0000 \"quoted\" \n" }], isError: false },
      { "k\\ey": [1, -0, 2.5, null, true, undefined, "€"], nested: { a: {} } },
      "plain",
      42,
      null,
      nested,
      { big: "y".repeat(5_000) },
    ];
    for (const p of payloads) {
      expect(serializeUnscrubbed(p, 4096)).toEqual(scrubbed(p, 4096));
      expect(serializeUnscrubbed(p)).toEqual(scrubbed(p));
    }
    expect(serializeUnscrubbed(undefined)).toEqual({ json: null, truncated: false, originalSize: null });
  });

  it("leaves to the scrubber what it would change: NUL, lone surrogates, depth past the limit, BigInt", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 65; i++) deep = [deep];
    for (const p of [{ a: "x\u0000y" }, { b: "\ud800z" }, { ["\udc00"]: 1 }, deep, { e: 10n }]) expect(serializeUnscrubbed(p)).toBeUndefined();
  });
});

describe("serializePayload and truncatePayload", () => {
  it("keeps payloads at or under the limit whole and reports their UTF-8 size", () => {
    const s = serializePayload({ text: "héllo" }, 100);
    expect(s).toEqual({ json: '{"text":"héllo"}', truncated: false, originalSize: 17 });
  });

  it("replaces a payload past the limit with a valid JSON preview no larger than the limit", () => {
    const big = { text: "\"é\n".repeat(50_000) };
    const full = JSON.stringify(big);
    const s = serializePayload(big, 4096);
    expect(s.truncated).toBe(true);
    expect(s.originalSize).toBe(utf8ByteLength(full));
    const json = s.json ?? "";
    expect(utf8ByteLength(json)).toBeLessThanOrEqual(4096);
    const parsed = JSON.parse(json) as { _truncated: boolean; originalSize: number; preview: string };
    expect(parsed._truncated).toBe(true);
    expect(parsed.originalSize).toBe(s.originalSize);
    expect(full.startsWith(parsed.preview)).toBe(true);
    expect(parsed.preview.length).toBeGreaterThan(500);
  });

  it("never splits a surrogate pair in the preview", () => {
    const s = serializePayload("😀".repeat(10_000), 1000);
    const parsed = JSON.parse(s.json ?? "") as { preview: string };
    expect(sanitizeString(parsed.preview)).toBe(parsed.preview);
  });

  it("returns the truncated value as an object and the original size", () => {
    const r = truncatePayload({ a: "x".repeat(70_000) });
    expect(r.truncated).toBe(true);
    expect(r.originalSize).toBe(70_008);
    expect(r.value).toMatchObject({ _truncated: true, originalSize: 70_008 });
    expect(truncatePayload({ a: 1 })).toEqual({ value: { a: 1 }, truncated: false, originalSize: 7 });
  });

  it("counts 4 bytes for an astral character and 3 for an unpaired surrogate", () => {
    expect(utf8ByteLength("😀")).toBe(4);
    expect(utf8ByteLength("\ud800")).toBe(3);
    expect(utf8ByteLength("aé€")).toBe(6);
  });
});

describe("preparePayload", () => {
  it("stores nothing under the metadata_only policy", () => {
    expect(preparePayload({ a: 1 }, { policy: "metadata_only", secrets: [], rules: [] })).toEqual({
      json: null,
      truncated: false,
      originalSize: null,
    });
  });

  it("scrubs before measuring and truncating under the full policy", () => {
    const out = preparePayload({ key: "tok-abcdef" }, { policy: "full", secrets: ["tok-abcdef"], rules: [], maxPayloadBytes: 1000 });
    expect(out).toEqual({ json: `{"key":"${SECRET_MASK}"}`, truncated: false, originalSize: 18 });
  });

  it("stores null for an absent payload", () => {
    expect(preparePayload(undefined, { policy: "full", secrets: [], rules: [] }).json).toBeNull();
  });
});

describe("redactCredentials", () => {
  it("masks URL user info, bearer tokens, Switchyard keys and secret-named query values, and keeps the rest", () => {
    const text = "failed https://bob:hunter22@api.example.com/x?token=abc123&page=2 with Bearer abcdefghijklmnop and sy_abcdefghijklmnopqrstuvwxyz; API_KEY=foo123";
    const masked = redactCredentials(text);
    for (const secret of ["hunter22", "abc123", "abcdefghijklmnop", "sy_abcdefghijklmnopqrstuvwxyz", "foo123"]) expect(masked).not.toContain(secret);
    expect(masked).toContain("api.example.com/x?token=[SECRET]&page=2");
    expect(masked).toContain("Bearer [SECRET]");
  });
});
