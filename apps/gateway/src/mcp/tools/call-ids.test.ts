import { UUID_PATTERN } from "@switchyard/shared";
import { describe, expect, it } from "vitest";
import { callId } from "./call-ids";

describe("callId", () => {
  it("makes distinct, time-ordered UUIDv7s", () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => callId(1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(UUID_PATTERN);
      expect(id[14]).toBe("7");
      expect("89ab").toContain(id[19]);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(callId(0x0123456789ab).slice(0, 13)).toBe("01234567-89ab");
  });
});
