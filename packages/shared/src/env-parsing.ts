/** Helpers for the apps' zod env modules: one boolean syntax and one error format naming every bad variable. */
import { z } from "zod";

/** `true/false`, `1/0`, `yes/no`, `on/off`. */
export const envBoolean = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

/** Parses `source` (empty strings count as unset); throws an Error listing every bad variable by name. */
export function parseEnvironment<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
