// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { AppRouterContext, type AppRouterInstance } from "next/dist/shared/lib/app-router-context.shared-runtime";
import { act, createElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { HandlerResult } from "@/server/handler";
import { useFormAction, type UseFormActionOptions } from "./use-form-action";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const schema = z.object({ name: z.string().trim().min(1, "a name is needed"), size: z.coerce.number().int().min(1, "at least 1") });
type Input = z.output<typeof schema>;

/** The server side of the form: records what it was called with and answers with the next result. */
function fakeAction(results: HandlerResult<{ id: string }>[]) {
  const calls: Input[] = [];
  const fn = (input: Input) => {
    calls.push(input);
    const next = results.shift();
    if (!next) throw new Error("no result queued");
    return Promise.resolve(next);
  };
  return { fn, calls };
}

let root: Root;
let refreshes = 0;
let form: ReturnType<typeof useFormAction<typeof schema, { id: string }>>;

const router: AppRouterInstance = {
  back: () => undefined,
  forward: () => undefined,
  refresh: () => void refreshes++,
  push: () => undefined,
  replace: () => undefined,
  prefetch: () => undefined,
  bfcacheId: "test",
};

function mount(action: (input: Input) => Promise<HandlerResult<{ id: string }>>, options: UseFormActionOptions<{ id: string }> = {}) {
  function Probe() {
    form = useFormAction(schema, action, options);
    return null;
  }
  const client = new QueryClient();
  root = createRoot(document.createElement("div"));
  act(() => root.render(createElement(QueryClientProvider, { client }, createElement(AppRouterContext.Provider, { value: router }, createElement(Probe)))));
}

async function submit(values: unknown, extra?: Record<string, string>): Promise<boolean> {
  let called = false;
  await act(async () => {
    called = form.submit(values, extra);
    await new Promise((r) => setTimeout(r, 0));
  });
  return called;
}

beforeEach(() => {
  refreshes = 0;
});
afterEach(() => act(() => root.unmount()));

describe("useFormAction", () => {
  it("keeps invalid values from the action and shows the schema's messages by field", async () => {
    const action = fakeAction([]);
    mount(action.fn);
    expect(await submit({ name: "  ", size: "0" })).toBe(false);
    expect(action.calls).toEqual([]);
    expect(form.fields).toEqual({ name: "a name is needed", size: "at least 1" });
  });

  it("calls the action with the parsed values, then refreshes the route and keeps the result", async () => {
    const action = fakeAction([{ ok: true, data: { id: "p1" } }]);
    mount(action.fn);
    expect(await submit({ name: " acme ", size: "3" })).toBe(true);
    expect(action.calls).toEqual([{ name: "acme", size: 3 }]);
    expect(refreshes).toBe(1);
    expect(form.data).toEqual({ id: "p1" });
    expect(form.fields).toEqual({});
    expect(form.pending).toBe(false);
  });

  it("shows the server's field errors, and the form's own checks alongside the schema's", async () => {
    const action = fakeAction([{ ok: false, error: { code: "invalid_input", status: 400, message: "invalid", fields: { name: "taken" } } }]);
    mount(action.fn);
    await submit({ name: "acme", size: 1 });
    expect(form.fields).toEqual({ name: "taken" });
    expect(refreshes).toBe(0);

    expect(await submit({ name: "acme", size: 0 }, { confirm: "the passwords do not match" })).toBe(false);
    expect(action.calls).toHaveLength(1);
    expect(form.fields).toMatchObject({ size: "at least 1", confirm: "the passwords do not match" });
  });

  it("puts a server error that belongs to one input next to it, and forgets everything on reset", async () => {
    const action = fakeAction([{ ok: false, error: { code: "invalid_input", status: 400, message: "the current password is wrong" } }]);
    mount(action.fn, { errorField: (e) => (/current password/.test(e.message) ? "name" : undefined) });
    await submit({ name: "acme", size: 1 });
    expect(form.fields.name).toBe("the current password is wrong");
    act(() => form.reset());
    expect(form.fields).toEqual({});
  });

  it("keeps an error of no field in the form instead of a toast when asked, until the next submit", async () => {
    const action = fakeAction([{ ok: false, error: { code: "unauthorized", status: 401, message: "wrong email or password" } }]);
    mount(action.fn, { inlineError: true });
    await submit({ name: "acme", size: 1 });
    expect(form.error).toBe("wrong email or password");
    await submit({ name: "", size: 1 });
    expect(form.error).toBeNull();
  });
});
