import { SECRET_MASK, uuidv7 } from "@switchyard/shared";
import { describe, expect, it } from "vitest";
import { FULL_POLICY, sampleRecord } from "../testing/call-log";
import { toolCallLogs } from "../schema";
import { columnNames } from "./ingest-statement";
import { prepareCallRow } from "./prepare-call-row";
import type { ToolCallStatus } from "@switchyard/shared";

const parse = (r: ReturnType<typeof prepareCallRow>) => {
  if (!r.ok) throw new Error(r.reason);
  return JSON.parse(r.json) as Record<string, unknown>;
};

describe("prepareCallRow", () => {
  it("produces one JSON object with the row's columns, payloads spliced in as JSON", () => {
    const rec = sampleRecord(uuidv7(), 0, Date.UTC(2026, 0, 2, 3, 4, 5));
    const row = parse(prepareCallRow(rec, FULL_POLICY));
    expect(Object.keys(row).sort()).toEqual(columnNames(toolCallLogs).sort());
    expect(row).toMatchObject({
      id: rec.id,
      project_id: rec.projectId,
      status: "success",
      started_at: "2026-01-02T03:04:05.000Z",
      input: rec.input,
      output: rec.output,
      input_truncated: false,
      input_size: JSON.stringify(rec.input).length,
    });
  });

  it("records the MCP method, tools/call unless another known method is given", () => {
    const base = sampleRecord(uuidv7(), 0, Date.now());
    expect(parse(prepareCallRow(base, FULL_POLICY)).method).toBe("tools/call");
    expect(parse(prepareCallRow({ ...base, method: "resources/read" }, FULL_POLICY)).method).toBe("resources/read");
    const unknown = { ...base, method: "bogus/method" } as unknown as typeof base;
    expect(parse(prepareCallRow(unknown, FULL_POLICY)).method).toBe("tools/call");
  });

  it("makes every field acceptable to Postgres instead of failing the batch", () => {
    const rec = {
      ...sampleRecord(uuidv7(), 1, Date.now()),
      serverId: "nope",
      sessionId: "also-not-a-uuid",
      toolName: "to\u0000ol",
      durationMs: -5.4,
      errorCode: 1.5,
      status: "weird" as ToolCallStatus,
      startedAt: new Date(NaN),
      errorMessage: "x".repeat(20_000),
    };
    const row = parse(prepareCallRow(rec, FULL_POLICY));
    expect(row).toMatchObject({ server_id: null, session_id: null, tool_name: "to\uFFFDol", duration_ms: 0, error_code: null, status: "error" });
    expect(typeof row.started_at).toBe("string");
    expect((row.error_message as string).length).toBe(8_192);
  });

  it("stores payloads with nothing to mask as the scrubber would: NUL and lone surrogates replaced, deep nesting cut", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 70; i++) deep = [deep];
    const rec = { ...sampleRecord(uuidv7(), 0, Date.now()), input: { a: "x\u0000y", b: "\ud800" }, output: deep };
    const row = parse(prepareCallRow(rec, FULL_POLICY));
    expect(row.input).toEqual({ a: "x\uFFFDy", b: "\uFFFD" });
    expect(JSON.stringify(row.output)).toContain("[MAX_DEPTH]");
  });

  it("refuses records without a valid id or project id, with the reason", () => {
    expect(prepareCallRow({ ...sampleRecord(uuidv7(), 0, Date.now()), id: "1" }, FULL_POLICY)).toEqual({
      ok: false,
      reason: "tool call id is not a uuid",
    });
    expect(prepareCallRow({ ...sampleRecord("p", 0, Date.now()) }, FULL_POLICY)).toMatchObject({ ok: false });
  });

  it("scrubs the error message with the payload rules even under metadata_only", () => {
    const rec = { ...sampleRecord(uuidv7(), 1, Date.now()), errorMessage: "token abcd-1234 refused" };
    const row = parse(prepareCallRow(rec, { secrets: ["abcd-1234"], rules: [], policy: "metadata_only" }));
    expect(row).toMatchObject({ input: null, output: null, input_size: null, error_message: `token ${SECRET_MASK} refused` });
  });
});
