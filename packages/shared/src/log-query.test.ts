import { describe, expect, it } from "vitest";
import { isRollupQuery, logQueryTerm, parseLogQuery, type LogQueryNode } from "./log-query";
import { resolveLogRange } from "./log-range";

function ast(q: string): LogQueryNode | null {
  const r = parseLogQuery(q);
  if (!r.ok) throw new Error(`${q}: ${r.error.message} at ${r.error.position}`);
  return r.ast;
}

function error(q: string) {
  const r = parseLogQuery(q);
  if (r.ok) throw new Error(`${q} parsed`);
  return r.error;
}

const SESSION = "0192f0a0-1111-7222-8333-444455556666";

describe("parseLogQuery", () => {
  it("reads an empty or blank query as everything", () => {
    expect(ast("")).toBeNull();
    expect(ast("   ")).toBeNull();
  });

  it.each([
    ["status:error", { kind: "match", field: "status", value: "error", prefix: false }],
    ["server:github", { kind: "match", field: "server", value: "github", prefix: false }],
    ["client:cursor", { kind: "match", field: "client", value: "cursor", prefix: false }],
    [`session:${SESSION}`, { kind: "match", field: "session", value: SESSION, prefix: false }],
    ["key:ci-bot", { kind: "match", field: "key", value: "ci-bot", prefix: false }],
    ["method:tools/call", { kind: "match", field: "method", value: "tools/call", prefix: false }],
    ["tool:search*", { kind: "match", field: "tool", value: "search", prefix: true }],
    ['tool:"get sum"', { kind: "match", field: "tool", value: "get sum", prefix: false }],
  ])("parses the facet term %s", (q, expected) => {
    expect(ast(q)).toEqual(expected);
  });

  it.each([
    ["duration:>500", { min: 500, max: null, minInclusive: false, maxInclusive: false }],
    ["duration:>=500", { min: 500, max: null, minInclusive: true, maxInclusive: false }],
    ["duration:<20", { min: null, max: 20, minInclusive: false, maxInclusive: false }],
    ["duration:<=20", { min: null, max: 20, minInclusive: false, maxInclusive: true }],
    ["duration:[100 TO 500]", { min: 100, max: 500, minInclusive: true, maxInclusive: true }],
    ["duration:42", { min: 42, max: 42, minInclusive: true, maxInclusive: true }],
  ])("parses the duration comparison %s", (q, expected) => {
    expect(ast(q)).toEqual({ kind: "range", field: "duration", ...expected });
  });

  it("reads quoted strings and bare words as free text, keeping hyphens inside words", () => {
    expect(ast('"connection refused"')).toEqual({ kind: "text", value: "connection refused" });
    expect(ast("get-sum")).toEqual({ kind: "text", value: "get-sum" });
    expect(ast('"say \\"hi\\""')).toEqual({ kind: "text", value: 'say "hi"' });
  });

  it("negates with a leading minus or NOT", () => {
    const neg = { kind: "not", child: { kind: "match", field: "status", value: "success", prefix: false } };
    expect(ast("-status:success")).toEqual(neg);
    expect(ast("NOT status:success")).toEqual(neg);
  });

  it("ANDs adjacent terms, binds AND tighter than OR, and honours parentheses", () => {
    expect(ast("status:error server:github")).toEqual({
      kind: "and",
      children: [
        { kind: "match", field: "status", value: "error", prefix: false },
        { kind: "match", field: "server", value: "github", prefix: false },
      ],
    });
    expect(ast("status:error AND tool:a OR tool:b")).toEqual({
      kind: "or",
      children: [
        {
          kind: "and",
          children: [
            { kind: "match", field: "status", value: "error", prefix: false },
            { kind: "match", field: "tool", value: "a", prefix: false },
          ],
        },
        { kind: "match", field: "tool", value: "b", prefix: false },
      ],
    });
    expect(ast("status:error (tool:a OR -tool:b)")).toEqual({
      kind: "and",
      children: [
        { kind: "match", field: "status", value: "error", prefix: false },
        {
          kind: "or",
          children: [
            { kind: "match", field: "tool", value: "a", prefix: false },
            { kind: "not", child: { kind: "match", field: "tool", value: "b", prefix: false } },
          ],
        },
      ],
    });
  });

  it("names the position and what was expected for an unknown field", () => {
    expect(error("status:error color:red")).toMatchObject({ position: 13, message: 'Unknown field "color"', expected: expect.arrayContaining(["status", "duration"]) as unknown });
  });

  it("refuses values outside a fixed list, listing the allowed ones", () => {
    expect(error("status:broken")).toEqual({ position: 7, message: 'Unknown status "broken"', expected: ["success", "error", "timeout", "cancelled", "rejected"] });
    expect(error("client:emacs").expected).toContain("cursor");
    expect(error("method:tools/list").expected).toContain("tools/call");
  });

  it("refuses a session that is not a UUID", () => {
    expect(error("session:abc")).toMatchObject({ position: 8, message: "A session is a UUID" });
  });

  it.each([
    ["status:", 7, "Expected a value for status"],
    ["duration:", 9, "Expected a comparison for duration"],
    ["duration:>abc", 10, "Expected a number (milliseconds) for duration"],
    ["duration:[100 500]", 14, 'Expected "TO" in a range'],
    ["duration:[100 TO 500", 20, 'Expected "]" to close the range'],
    ["duration:[500 TO 100]", 9, "A range's lower bound is above its upper bound"],
    ["(status:error", 13, 'Expected ")" but found end of query'],
    ["status:error)", 12, "Unmatched closing parenthesis"],
    ["()", 1, "Empty parentheses"],
    ['"open quote', 0, "Unclosed quote"],
    ["OR status:error", 0, '"OR" needs a term before it'],
    ["status:error OR", 15, "Expected a term but found end of query"],
    ["-", 1, "Expected a term but found end of query"],
  ])("reports %s as an error at %i", (q, position, message) => {
    expect(error(q)).toMatchObject({ position, message });
  });
});

describe("isRollupQuery", () => {
  it("is true for facet filters the rollups keep, including negation and OR", () => {
    expect(isRollupQuery(ast(""))).toBe(true);
    expect(isRollupQuery(ast("status:error (server:a OR -tool:b*) client:cursor method:tools/call"))).toBe(true);
  });

  it("is false once text, duration, session or key appears anywhere", () => {
    expect(isRollupQuery(ast("status:error timeout"))).toBe(false);
    expect(isRollupQuery(ast("duration:>5"))).toBe(false);
    expect(isRollupQuery(ast(`status:error OR session:${SESSION}`))).toBe(false);
    expect(isRollupQuery(ast("-key:ci"))).toBe(false);
  });
});

describe("logQueryTerm", () => {
  it("quotes values that would not parse bare, and round-trips through the parser", () => {
    expect(logQueryTerm("tool", "echo")).toBe("tool:echo");
    expect(logQueryTerm("tool", "get sum", true)).toBe('-tool:"get sum"');
    expect(ast(logQueryTerm("server", 'we"ird:name'))).toEqual({ kind: "match", field: "server", value: 'we"ird:name', prefix: false });
  });
});

describe("resolveLogRange", () => {
  it("keeps presets relative to now and absolute ranges exact", () => {
    expect(resolveLogRange({ range: "15m" }, 1_000_000_000)).toEqual({ from: new Date(1_000_000_000 - 900_000), to: new Date(1_000_000_001) });
    expect(resolveLogRange({}, 10_000_000)).toEqual({ from: new Date(10_000_000 - 3600_000), to: new Date(10_000_001) });
    expect(resolveLogRange({ range: "7d", from: "1000", to: "2000" })).toEqual({ from: new Date(1000), to: new Date(2000) });
  });

  it("refuses an inverted, unreadable or overlong range", () => {
    expect(resolveLogRange({ from: "2000", to: "1000" })).toEqual({ error: "from must be before to" });
    expect(resolveLogRange({ from: "soon", to: "later" })).toEqual({ error: "from and to must be times" });
    expect(resolveLogRange({ from: 0, to: 100 * 86_400_000 })).toEqual({ error: "The range can span at most 90 days" });
  });
});
