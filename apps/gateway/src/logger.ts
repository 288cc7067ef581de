/** Structured one-line JSON logs on stderr; the gateway never logs secrets or child output here. */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(component: string, minLevel: LogLevel = "info"): Logger {
  return (level, msg, fields) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level, component, msg, ...fields })}\n`);
  };
}
