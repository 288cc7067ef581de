/** The call-log pipeline (docs/ARCHITECTURE.md, Call log): what the gateway records, batched into Postgres. */
export { LogWriter } from "./log-writer";
export type { LogWriterOptions, LogWriterStats, ScrubContext, SessionPatch, SessionStart, ToolCallRecord } from "./types";
