export { LogWriter } from "./tool-call-log-writer";
export type { LogWriterOptions, LogWriterStats, ScrubContext, SessionPatch, SessionStart, ToolCallRecord } from "./types";
