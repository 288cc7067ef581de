"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { HandlerError, HandlerResult } from "@/server/handler";

/** A failed action's error, thrown on the client so react-query sees a rejection. */
export class ActionError extends Error {
  constructor(readonly error: HandlerError) {
    super(error.message);
  }
}

export async function unwrap<R>(result: Promise<HandlerResult<R>>): Promise<R> {
  const r = await result;
  if (!r.ok) throw new ActionError(r.error);
  return r.data;
}

export interface UseActionOptions<R> {
  /** Toast shown on success. */
  success?: string | ((data: R) => string);
  /** Re-render the current route's server components afterwards (default true). */
  refresh?: boolean;
  onSuccess?: (data: R) => void;
  /** Field errors are shown next to their inputs; other errors become a toast unless this returns true. */
  onError?: (error: HandlerError) => boolean | void;
}

/** Runs a server action as a react-query mutation with toasts and a route refresh. */
export function useAction<I, R>(action: (input: I) => Promise<HandlerResult<R>>, options: UseActionOptions<R> = {}) {
  const router = useRouter();
  return useMutation<R, Error, I>({
    mutationFn: (input) => unwrap(action(input)),
    onSuccess: (data) => {
      const message = typeof options.success === "function" ? options.success(data) : options.success;
      if (message) toast.success(message);
      if (options.refresh !== false) router.refresh();
      options.onSuccess?.(data);
    },
    onError: (e) => {
      const handlerError: HandlerError =
        e instanceof ActionError ? e.error : { code: "internal", status: 500, message: "Could not reach the server. Check your connection and try again." };
      if (options.onError?.(handlerError) === true) return;
      if (!handlerError.fields) toast.error(handlerError.message);
    },
  });
}

/** The field errors of the mutation's last failure, if it failed validation. */
export function fieldErrorsOf(error: Error | null): Record<string, string> {
  return error instanceof ActionError ? (error.error.fields ?? {}) : {};
}

/** GET a console route handler as JSON; a non-2xx answer becomes an Error with the server's message. */
export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" }, cache: "no-store" });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message ?? `Request failed (${res.status})`;
    throw new Error(message);
  }
  return body as T;
}

/** `mutateAsync` that reports success as a boolean (errors were already toasted by useAction). */
export function attempt<I>(mutateAsync: (input: I) => Promise<unknown>, input: I): Promise<boolean> {
  return mutateAsync(input).then(
    () => true,
    () => false,
  );
}
