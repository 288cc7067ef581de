import { uuidv7 } from "@switchyard/shared";
import { describe, expect, it } from "vitest";
import { clientSessions, rateLimitedCalls } from "../schema";
import { columnNames } from "./ingest-statement";
import { mergeRateRows, mergeSessionRows, SessionTracker, type SessionRow } from "./session-tracker";

const start = (id: string, at: number) => ({
  id,
  projectId: uuidv7(),
  serverId: null,
  apiKeyId: null,
  userId: null,
  transport: "sse" as const,
  clientType: "other" as const,
  gatewayInstance: "gw",
  startedAt: new Date(at),
});

describe("SessionTracker", () => {
  it("coalesces a session's changes into one row per drain with call deltas", () => {
    const t = new SessionTracker();
    const id = uuidv7();
    t.started(start(id, 1_000));
    for (let i = 0; i < 4; i++) t.activity(id, new Date(2_000 + i), { failed: i === 0 });
    const first = t.drain();
    expect(first.sessions).toHaveLength(1);
    expect(first.sessions[0]).toMatchObject({ calls_total: 4, calls_failed: 1, last_activity_at: new Date(2_003).toISOString() });
    t.activity(id, new Date(3_000), { failed: false });
    expect(t.drain().sessions[0]).toMatchObject({ calls_total: 1, calls_failed: 0 });
    expect(t.drain().sessions).toEqual([]);
  });

  it("forgets a released session without ending it, still writing what it counted", () => {
    const t = new SessionTracker();
    const id = uuidv7();
    t.started(start(id, 1_000));
    t.activity(id, new Date(2_000), { failed: false });
    t.released(id);
    expect(t.openCount).toBe(0);
    t.activity(id, new Date(3_000), { failed: true });
    const rows = t.drain().sessions;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, calls_total: 1, calls_failed: 0, ended_at: null, end_reason: null });
  });

  it("forgets a session once it ended and ignores sessions it never saw start", () => {
    const t = new SessionTracker();
    const id = uuidv7();
    t.started(start(id, 1_000));
    t.ended(id, new Date(5_000), "expired");
    expect(t.openCount).toBe(0);
    t.activity(id, new Date(6_000), { failed: true });
    t.activity(uuidv7(), new Date(6_000), { failed: true });
    const rows = t.drain().sessions;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ended_at: new Date(5_000).toISOString(), end_reason: "expired", calls_total: 0 });
  });

  it("counts rate-limited calls per project, key and minute", () => {
    const t = new SessionTracker();
    const [p, k] = [uuidv7(), uuidv7()];
    t.rateLimited(p, k, new Date(60_000));
    t.rateLimited(p, k, new Date(119_999));
    t.rateLimited(p, k, new Date(120_000));
    expect(t.drain().rates.map((r) => [r.minute, r.count])).toEqual([
      [new Date(60_000).toISOString(), 2],
      [new Date(120_000).toISOString(), 1],
    ]);
  });
});

describe("mergeSessionRows and mergeRateRows", () => {
  it("adds counters, keeps the newest description, the first end and the earliest start", () => {
    const t = new SessionTracker();
    const id = uuidv7();
    t.started(start(id, 1_000));
    t.activity(id, new Date(2_000), { failed: true });
    const [a] = t.drain().sessions as [SessionRow];
    t.updated(id, { clientName: "Cline" });
    t.activity(id, new Date(3_000), { failed: false });
    t.ended(id, new Date(4_000), "closed");
    const [b] = t.drain().sessions as [SessionRow];
    for (const rows of [[a, b], [b, a]]) {
      expect(mergeSessionRows(rows)).toEqual([
        { ...b, calls_total: 2, calls_failed: 1, ended_at: new Date(4_000).toISOString(), end_reason: "closed" },
      ]);
    }
  });

  it("drains rows whose keys are the columns of client_sessions and rate_limited_calls", () => {
    const t = new SessionTracker();
    const id = uuidv7();
    t.started(start(id, 1_000));
    t.rateLimited(uuidv7(), uuidv7(), new Date(1_000));
    const { sessions, rates } = t.drain();
    expect(sessions.map((r) => Object.keys(r).sort())).toEqual([columnNames(clientSessions).sort()]);
    expect(rates.map((r) => Object.keys(r).sort())).toEqual([columnNames(rateLimitedCalls).sort()]);
  });

  it("sums rate rows of the same key and minute", () => {
    const row = { project_id: "p", api_key_id: "k", minute: "m", count: 2 };
    expect(mergeRateRows([row, { ...row, count: 3 }, { ...row, minute: "n", count: 1 }]).map((r) => r.count)).toEqual([5, 1]);
  });
});
