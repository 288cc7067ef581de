import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { plainMessage, UpstreamError } from "../jsonrpc-errors";
import { upstreamFailure } from "./upstream-failure";

describe("upstreamFailure", () => {
  it("maps the pool's kinds to log statuses, keeping code and message", () => {
    expect(upstreamFailure(new UpstreamError("timeout", "upstream x did not answer within 1000 ms"))).toEqual({
      status: "timeout",
      errorCode: ErrorCode.RequestTimeout,
      errorMessage: "upstream x did not answer within 1000 ms",
    });
    expect(upstreamFailure(new UpstreamError("cancelled", "call cancelled")).status).toBe("cancelled");
    for (const kind of ["unavailable", "circuit_open", "crashed"] as const) expect(upstreamFailure(new UpstreamError(kind, kind)).status).toBe("error");
  });

  it("passes an upstream's own JSON-RPC error on with its code and data", () => {
    expect(upstreamFailure(new UpstreamError("protocol", "bad arguments", { code: -32602, data: { field: "a" } }))).toEqual({
      status: "error",
      errorCode: -32602,
      errorMessage: "bad arguments",
      errorData: { field: "a" },
    });
  });

  it("strips the SDK's message prefix and treats anything else as an internal error", () => {
    expect(plainMessage(new McpError(-32602, "Unknown tool: x"))).toBe("Unknown tool: x");
    expect(upstreamFailure(new Error("boom"))).toEqual({ status: "error", errorCode: ErrorCode.InternalError, errorMessage: "boom" });
  });
});
