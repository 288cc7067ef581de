import { z } from "zod";
import { LOG_PAYLOAD_POLICIES, NEW_TOOL_POLICIES } from "./enums";
import { toolSeparatorSchema } from "./names";

/** A redaction rule applied to logged payloads: a regex over string values, or a JSON key whose values are masked. */
export const redactionRuleSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("regex"),
    pattern: z
      .string()
      .min(1)
      .max(500)
      .refine((p) => {
        try {
          new RegExp(p, "g");
          return true;
        } catch {
          return false;
        }
      }, "pattern is not a valid regular expression"),
    replacement: z.string().max(100).default("[REDACTED]"),
  }),
  z.object({ type: z.literal("key"), key: z.string().min(1).max(200) }),
]);
export type RedactionRule = z.output<typeof redactionRuleSchema>;

export const projectSettingsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2_000),
  logPayloadPolicy: z.enum(LOG_PAYLOAD_POLICIES),
  redactionRules: z.array(redactionRuleSchema).max(100),
  retentionDays: z.number().int().min(1).max(365),
  toolSeparator: toolSeparatorSchema,
  newToolPolicy: z.enum(NEW_TOOL_POLICIES),
});
export type ProjectSettings = z.output<typeof projectSettingsSchema>;
