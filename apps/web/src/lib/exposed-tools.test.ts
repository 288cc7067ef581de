import { describe, expect, it } from "vitest";
import { countExposedTools, emptyToolsReason } from "./exposed-tools";

const tool = (status: "online" | "offline" | "installing", extra: Partial<{ enabled: boolean; pendingApproval: boolean }> = {}) => ({
  enabled: true,
  pendingApproval: false,
  ...extra,
  server: { enabled: true, status },
});

describe("exposed tools", () => {
  it("counts only tools of servers that are up, and says how many wait on the others", () => {
    expect(countExposedTools([tool("online"), tool("offline"), tool("installing"), tool("online", { pendingApproval: true })])).toEqual({ exposed: 1, held: 1, notUp: 2 });
  });

  it("explains an empty tools/list: no server, installing, not checked, offline, all disabled", () => {
    expect(emptyToolsReason([], [])).toMatch(/no enabled server/);
    expect(emptyToolsReason([{ enabled: true, status: "installing" }], [])).toMatch(/installing on first start/);
    expect(emptyToolsReason([{ enabled: true, status: "unknown" }], [])).toMatch(/not checked/);
    expect(emptyToolsReason([{ enabled: true, status: "offline" }], [tool("offline")])).toMatch(/No server is online/);
    expect(emptyToolsReason([{ enabled: true, status: "online" }], [tool("online", { enabled: false })])).toMatch(/disabled or held/);
    expect(emptyToolsReason([{ enabled: true, status: "online" }], [tool("online")])).toBeUndefined();
  });
});
