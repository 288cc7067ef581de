import { existsSync } from "node:fs";
import { appendFile, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "@switchyard/shared";
import { FULL_POLICY, sampleRecord } from "../testing/call-log";
import { prepareCallRow } from "./prepare-call-row";
import { SessionTracker } from "./session-tracker";
import { decodeSpillLines, encodeSpillLines, SpillFile } from "./spill-file";

let dir: string;
let n = 0;
const nextPath = () => join(dir, `spill-${n++}`, "log.ndjson");
const call = (i: number) => ({ text: JSON.stringify({ k: "c", i }), call: true });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "switchyard-spill-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function drain(file: SpillFile, maxLines: number): Promise<string[][]> {
  const batches: string[][] = [];
  for (;;) {
    const b = await file.readBatch(maxLines, 1 << 20);
    if (!b) return batches;
    batches.push(b.lines);
    file.commit(b.endOffset);
  }
}

describe("SpillFile", () => {
  it("appends lines (creating the directory, mode 0600) and replays them in batches, then removes the file", async () => {
    const path = nextPath();
    const file = new SpillFile(path, 1 << 20);
    expect(await file.append([call(0), call(1), call(2)])).toEqual({ calls: 3, droppedCalls: 0, droppedOther: 0 });
    await file.append([call(3), call(4)]);
    expect(((await stat(path)).mode & 0o777).toString(8)).toBe("600");
    expect(file.hasData).toBe(true);
    expect(await file.beginReplay()).toBe(true);
    expect(existsSync(path)).toBe(false);
    const batches = await drain(file, 2);
    expect(batches.map((b) => b.map((l) => (JSON.parse(l) as { i: number }).i))).toEqual([[0, 1], [2, 3], [4]]);
    expect(existsSync(file.replayingPath)).toBe(false);
    expect(file.hasData).toBe(false);
    expect(file.bytes).toBe(0);
    expect(await file.beginReplay()).toBe(false);
  });

  it("drops lines past the byte cap and counts them, rows and updates apart", async () => {
    const file = new SpillFile(nextPath(), 60);
    const session = { text: JSON.stringify({ k: "s", id: "x" }), call: false };
    const r = await file.append([session, call(1), call(2), call(3), call(4)]);
    expect(r).toEqual({ calls: 2, droppedCalls: 2, droppedOther: 0 });
    expect(file.bytes).toBeLessThanOrEqual(60);
    expect(await file.append([session])).toEqual({ calls: 0, droppedCalls: 0, droppedOther: 1 });
  });

  it("keeps appends made during a replay in a new file that is replayed next", async () => {
    const file = new SpillFile(nextPath(), 1 << 20);
    await file.append([call(1), call(2)]);
    await file.beginReplay();
    const first = await file.readBatch(1, 1 << 20);
    expect(first?.lines).toHaveLength(1);
    if (first) file.commit(first.endOffset);
    await file.append([call(3)]);
    const rest = await drain(file, 10);
    expect(rest.flat().map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([2]);
    expect(await file.beginReplay()).toBe(true);
    expect((await drain(file, 10)).flat().map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([3]);
  });

  it("re-reads from the last committed offset when a batch was not committed", async () => {
    const file = new SpillFile(nextPath(), 1 << 20);
    await file.append([call(1), call(2)]);
    await file.beginReplay();
    const a = await file.readBatch(1, 1 << 20);
    const again = await file.readBatch(1, 1 << 20);
    expect(again?.lines).toEqual(a?.lines);
  });

  it("picks up files left by an earlier process and ends a torn last line before appending", async () => {
    const path = nextPath();
    const earlier = new SpillFile(path, 1 << 20);
    await earlier.append([call(1)]);
    await appendFile(path, '{"k":"c","i":'); // crash mid-append
    const file = new SpillFile(path, 1 << 20);
    await file.init();
    expect(file.hasData).toBe(true);
    await file.append([call(2)]);
    expect((await readFile(path, "utf8")).split("\n")).toEqual(['{"k":"c","i":1}', '{"k":"c","i":', '{"k":"c","i":2}', ""]);
    await file.beginReplay();
    const lines = (await drain(file, 10)).flat();
    expect(lines).toEqual(['{"k":"c","i":1}', '{"k":"c","i":', '{"k":"c","i":2}']);
  });

  it("returns a torn line at the very end of the replaying file as is", async () => {
    const path = nextPath();
    const file = new SpillFile(path, 1 << 20);
    await file.append([call(1)]);
    await file.beginReplay();
    await appendFile(file.replayingPath, '{"k":"c"');
    const reopened = new SpillFile(path, 1 << 20);
    await reopened.init();
    expect(await reopened.beginReplay()).toBe(true);
    expect((await drain(reopened, 10)).flat()).toEqual(['{"k":"c","i":1}', '{"k":"c"']);
  });

  it("reads a line longer than its read chunk whole", async () => {
    const file = new SpillFile(nextPath(), 16 << 20);
    const long = { text: JSON.stringify({ k: "c", pad: "x".repeat(3 << 20) }), call: true };
    await file.append([long, call(9)]);
    await file.beginReplay();
    const lines = (await drain(file, 10)).flat();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(long.text);
  });
});

describe("spill line format", () => {
  function sampleChunk() {
    const projectId = uuidv7();
    const calls = [0, 1, 2].map((i) => {
      const row = prepareCallRow(sampleRecord(projectId, i, Date.now()), FULL_POLICY);
      if (!row.ok) throw new Error(row.reason);
      return row.json;
    });
    const tracker = new SessionTracker();
    const sessionId = uuidv7();
    tracker.started({ id: sessionId, projectId, serverId: null, apiKeyId: null, userId: null, transport: "sse", clientType: "cursor", gatewayInstance: "gw", startedAt: new Date() });
    tracker.activity(sessionId, new Date(), { failed: false });
    tracker.rateLimited(projectId, uuidv7(), new Date());
    return { calls, ...tracker.drain() };
  }

  it("reads back exactly the chunk it wrote, updates first, rows counted apart", () => {
    const chunk = sampleChunk();
    const lines = encodeSpillLines(chunk);
    expect(lines.map((l) => l.call)).toEqual([false, false, true, true, true]);
    expect(lines.every((l) => !l.text.includes("\n"))).toBe(true);
    expect(decodeSpillLines(lines.map((l) => l.text))).toEqual({ chunk, unreadable: 0 });
  });

  it("marks every line with its kind first and counts torn or foreign lines as unreadable", () => {
    const chunk = sampleChunk();
    const texts = encodeSpillLines(chunk).map((l) => l.text);
    expect(texts.map((t) => (JSON.parse(t) as { k: string }).k)).toEqual(["s", "r", "c", "c", "c"]);
    const torn = texts[4]?.slice(0, 40) ?? "";
    const { chunk: back, unreadable } = decodeSpillLines([...texts.slice(0, 4), torn, '{"k":"x"}', "[]"]);
    expect(unreadable).toBe(3);
    expect(back.calls).toEqual(chunk.calls.slice(0, 2));
  });
});
