/** The call-log pipeline (docs/ARCHITECTURE.md, Call log): what the gateway records, batched into Postgres. */
export { LogWriter } from "./log-writer";
export type { LogWriterOptions, LogWriterStats, ScrubContext, SessionPatch, SessionStart, ToolCallRecord } from "./types";
// For benchmarks that time the ingest statement's parts (apps/gateway/bench/ingest-parts.ts).
export { INGEST_SQL, columnNames, recordDefinition } from "./ingest-statement";
export { prepareCallRow } from "./prepare-call-row";
export { SessionTracker } from "./session-tracker";
