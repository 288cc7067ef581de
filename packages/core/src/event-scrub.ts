/**
 * Text the gateway and worker store for people to read — server events (stderr, start failures,
 * status errors), worker run errors, activity details — goes through the same scrubber as logged
 * tool-call payloads: the server's secrets, the project's redaction rules, and credential shapes.
 */
import { createPayloadScrubber, type RedactionRule } from "@switchyard/shared";

export interface ScrubbableEvent {
  message: string;
  details?: Record<string, unknown> | null;
}

export function scrubEvent<E extends ScrubbableEvent>(event: E, secrets: readonly string[], rules: readonly RedactionRule[] = []): E {
  const scrub = createPayloadScrubber({ secrets, rules, credentials: true });
  return {
    ...event,
    message: scrub(event.message) as string,
    ...(event.details ? { details: scrub(event.details) as Record<string, unknown> } : {}),
  };
}

/** A free-standing error message (worker runs, status errors). */
export function scrubText(text: string, secrets: readonly string[] = []): string {
  return createPayloadScrubber({ secrets, rules: [], credentials: true })(text) as string;
}
