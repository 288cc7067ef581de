/**
 * tools/call results pass through unchanged: the SDK's CallToolResultSchema strips unknown fields
 * from content blocks and refuses block types it does not know, so only the envelope is checked.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const passthroughCallToolResult = z.looseObject({
  content: z.array(z.looseObject({ type: z.string() })).default([]),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  isError: z.boolean().optional(),
});

// The loose schema keeps every field: its output is a CallToolResult, possibly with more members.
export const PassthroughCallToolResultSchema = passthroughCallToolResult as unknown as z.ZodType<CallToolResult>;
