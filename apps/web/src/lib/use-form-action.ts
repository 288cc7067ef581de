"use client";

import { useState } from "react";
import type { z } from "zod";
import type { HandlerError, HandlerResult } from "@/server/handler";
import { fieldErrorsOf, useAction, type UseActionOptions } from "./action-client";
import { validate } from "./validate";

export interface UseFormActionOptions<R> extends UseActionOptions<R> {
  /** A server error that belongs next to one input (e.g. a wrong current password): its field, shown there instead of a toast. */
  errorField?: (error: HandlerError) => string | undefined;
  /** Keep an error that belongs to no field in `error`, for an alert in the form (sign-in), instead of a toast. */
  inlineError?: boolean;
}

/**
 * A console form's validate-then-mutate wiring, written once: the values are checked with the zod
 * schema the server action parses them with, field errors are kept for the inputs (this browser's
 * check, then the server's), and valid values go to the action through `useAction` (toast, route refresh).
 */
export function useFormAction<S extends z.ZodType, R>(schema: S, action: (input: z.output<S>) => Promise<HandlerResult<R>>, options: UseFormActionOptions<R> = {}) {
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const [inlineError, setInlineError] = useState<string | null>(null);
  const { errorField, inlineError: keepInline, onError, ...rest } = options;
  const mutation = useAction(action, {
    ...rest,
    onError: (error) => {
      const field = errorField?.(error);
      if (field) {
        setFormErrors({ [field]: error.message });
        return true;
      }
      if (keepInline) {
        setInlineError(error.fields ? null : error.message);
        return true;
      }
      return onError?.(error);
    },
  });
  return {
    /**
     * Validates `values` and, when they and the form's own checks (`extraErrors`, e.g. a password
     * confirmation) pass, calls the action. Returns whether the action was called.
     */
    submit(values: unknown, extraErrors: Record<string, string> = {}): boolean {
      const result = validate(schema, values);
      const errors = { ...(result.ok ? {} : result.fields), ...extraErrors };
      setFormErrors(errors);
      setInlineError(null);
      if (!result.ok || Object.keys(errors).length > 0) return false;
      mutation.mutate(result.data);
      return true;
    },
    /** First message per field, keyed by dotted path (`name`, `config.url`, `_` for the whole form). */
    fields: { ...formErrors, ...fieldErrorsOf(mutation.error) },
    /** With `inlineError`: the last failure's message when it belonged to no field. */
    error: inlineError,
    pending: mutation.isPending,
    /** The action's result after a success. */
    data: mutation.data,
    /** Forgets errors and the last result (a dialog being closed). */
    reset() {
      setFormErrors({});
      setInlineError(null);
      mutation.reset();
    },
  };
}

export type FormAction<R = unknown> = ReturnType<typeof useFormAction<z.ZodType, R>>;
