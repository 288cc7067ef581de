import { describe, expect, it } from "vitest";
import { ListCursors } from "./list-cursor";

const cursors = new ListCursors("test secret");

describe("list cursors", () => {
  it("give back the server and upstream cursor they were made with", () => {
    const cursor = cursors.encode("prompts", "p1:", { serverId: "s2", upstreamCursor: "page-3" });
    expect(cursors.decode("prompts", "p1:", cursor)).toEqual({ serverId: "s2", upstreamCursor: "page-3" });
  });

  it("refuse an altered cursor, another list's and another endpoint's", () => {
    const cursor = cursors.encode("prompts", "p1:", { serverId: "s2" });
    const [payload, signature] = cursor.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ l: "prompts", e: "p1:", s: "s3" })).toString("base64url");
    expect(cursors.decode("prompts", "p1:", `${forged}.${signature}`)).toBeUndefined();
    expect(cursors.decode("prompts", "p1:", `${payload}.x${signature.slice(1)}`)).toBeUndefined();
    expect(cursors.decode("resources", "p1:", cursor)).toBeUndefined();
    expect(cursors.decode("prompts", "p2:", cursor)).toBeUndefined();
    expect(new ListCursors("another secret").decode("prompts", "p1:", cursor)).toBeUndefined();
    expect(cursors.decode("prompts", "p1:", "garbage")).toBeUndefined();
  });
});
