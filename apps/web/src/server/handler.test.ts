import { AppError } from "@switchyard/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { setupWebFixture, type WebFixture } from "../../test/helpers/web-fixture";
import { runHandler, type HandlerDef } from "./handler";

let f: WebFixture;
beforeAll(async () => {
  f = await setupWebFixture();
});
afterAll(async () => {
  await f.close();
});

const user = { id: "0190b1c2-0000-7000-8000-000000000001", email: "u@example.test", name: "U", isAdmin: false };

function def(handler: () => Promise<unknown>, input: z.ZodType = z.object({ n: z.number().int().min(1, "n must be positive") })): HandlerDef {
  return { name: "test", scope: "user", input, handler };
}

describe("runHandler", () => {
  it("returns field errors for invalid input without calling the handler", async () => {
    let called = false;
    const result = await runHandler(def(() => Promise.resolve((called = true))), user, { n: 0 });
    expect(result).toEqual({ ok: false, error: { code: "invalid_input", status: 400, message: "n must be positive", fields: { n: "n must be positive" } } });
    expect(called).toBe(false);
  });

  it("maps an AppError to its code and status", async () => {
    const result = await runHandler(def(() => Promise.reject(new AppError("conflict", "already there"))), user, { n: 1 });
    expect(result).toEqual({ ok: false, error: { code: "conflict", status: 409, message: "already there" } });
  });

  it("hides the message of an unexpected error behind a plain 500", async () => {
    const result = await runHandler(def(() => Promise.reject(new Error("password=hunter2 at db.ts:12"))), user, { n: 1 });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("hunter2");
    expect(!result.ok && result.error.status).toBe(500);
  });

  it("lets Next's redirect and notFound signals through", async () => {
    const signal = Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;replace;/login;307;" });
    await expect(runHandler(def(() => Promise.reject(signal)), user, { n: 1 })).rejects.toBe(signal);
  });

  it("answers 401 before validating anything when there is no session", async () => {
    const result = await runHandler(def(() => Promise.resolve(1)), null, { n: "not a number" });
    expect(!result.ok && result.error.code).toBe("unauthorized");
  });

  it("treats a malformed tenant id as not found", async () => {
    const result = await runHandler({ name: "t", scope: "project", input: z.object({ projectId: z.string() }), handler: () => Promise.resolve(1) }, user, { projectId: "../../etc" });
    expect(!result.ok && result.error.status).toBe(404);
  });
});
