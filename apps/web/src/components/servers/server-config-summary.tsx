import type { MaskedServerConfig } from "@switchyard/core/servers";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 py-2 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="col-span-2 min-w-0 font-mono text-xs break-all">{children}</dd>
    </div>
  );
}

/** A server's configuration as `maskServerConfig` left it for the viewer's role. */
export function ServerConfigSummary({ config, timeoutMs, isolation }: { config: MaskedServerConfig; timeoutMs: number; isolation: string }) {
  return (
    <dl className="divide-y" data-testid="server-config">
      {config.transport === "stdio" ? (
        <>
          <Row label="Command">{config.command}</Row>
          <Row label="Arguments">{config.args?.length ? config.args.join(" ") : "none"}</Row>
          {config.cwd ? <Row label="Working dir">{config.cwd}</Row> : null}
          <Row label="Environment">{config.envKeys?.length ? config.envKeys.map((k) => `${k}=••••`).join("  ") : "none"}</Row>
        </>
      ) : (
        <>
          <Row label="URL">{config.url}</Row>
          <Row label="Headers">{config.headerKeys?.length ? config.headerKeys.map((k) => `${k}: ••••`).join("  ") : "none"}</Row>
        </>
      )}
      <Row label="Timeout">{timeoutMs / 1000} s</Row>
      <Row label="Isolation">{isolation === "per_session" ? "one process per session" : "shared"}</Row>
    </dl>
  );
}
