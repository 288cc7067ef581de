"use client";

import type { SERVER_ISOLATIONS, ServerConfig, ServerConfigInput } from "@switchyard/shared";
import { useState } from "react";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import type { FormAction } from "@/lib/use-form-action";

type Transport = ServerConfig["transport"];

export interface ServerFormValues {
  name: string;
  transport: Transport;
  command: string;
  args: string;
  env: string;
  cwd: string;
  url: string;
  headers: string;
  timeoutSeconds: string;
  isolation: (typeof SERVER_ISOLATIONS)[number];
  enabled: boolean;
}

export function formValuesOf(config: ServerConfig | null): ServerFormValues {
  const base = { name: "", transport: "stdio" as Transport, command: "", args: "", env: "", cwd: "", url: "", headers: "", timeoutSeconds: "60", isolation: "shared" as const, enabled: true };
  if (!config) return base;
  const common = { ...base, name: config.name, transport: config.transport, timeoutSeconds: String(config.timeoutMs / 1000), isolation: config.isolation, enabled: config.enabled };
  if (config.transport === "stdio") {
    return { ...common, command: config.command, args: config.args.join("\n"), env: Object.entries(config.env).map(([k, v]) => `${k}=${v}`).join("\n"), cwd: config.cwd ?? "" };
  }
  return { ...common, url: config.url, headers: Object.entries(config.headers).map(([k, v]) => `${k}: ${v}`).join("\n") };
}

function parsePairs(text: string, sep: "=" | ":"): { value: Record<string, string> } | { error: string } {
  const out: Record<string, string> = {};
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf(sep);
    if (at <= 0) return { error: `line ${i + 1}: expected ${sep === "=" ? "KEY=value" : "Header-Name: value"}` };
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { value: out };
}

/** Builds the config from the form; field errors keyed like the server's (`config.command`, …). */
export function toConfig(v: ServerFormValues): { config: ServerConfigInput } | { fields: Record<string, string> } {
  const timeoutMs = Math.round(Number(v.timeoutSeconds) * 1000);
  const common = { name: v.name.trim(), timeoutMs: Number.isFinite(timeoutMs) ? timeoutMs : Number.NaN, isolation: v.isolation, enabled: v.enabled };
  if (v.transport === "stdio") {
    const env = parsePairs(v.env, "=");
    if ("error" in env) return { fields: { "config.env": env.error } };
    const args = v.args.split("\n").map((a) => a.trim()).filter(Boolean);
    return { config: { ...common, transport: "stdio", command: v.command, args, env: env.value, ...(v.cwd.trim() ? { cwd: v.cwd.trim() } : {}) } };
  }
  const headers = parsePairs(v.headers, ":");
  if ("error" in headers) return { fields: { "config.headers": headers.error } };
  return { config: { ...common, transport: v.transport, url: v.url.trim(), headers: headers.value } };
}

/**
 * The form for one server (create and edit). `onSubmit` gets the config built from the inputs (none
 * when a line of env or headers cannot be read, with that error) for the caller's `useFormAction`.
 */
export function ServerForm({
  initial,
  submitLabel,
  form,
  onSubmit,
}: {
  initial: ServerFormValues;
  submitLabel: string;
  form: Pick<FormAction, "fields" | "pending">;
  onSubmit: (config: ServerConfigInput | undefined, formErrors: Record<string, string>) => void;
}) {
  const [v, setV] = useState(initial);
  const { fields, pending } = form;
  const set = <K extends keyof ServerFormValues>(key: K, value: ServerFormValues[K]) => setV((old) => ({ ...old, [key]: value }));
  const err = (key: string) => fields[`config.${key}`] ?? Object.entries(fields).find(([k]) => k.startsWith(`config.${key}.`))?.[1];
  return (
    <form
      className="grid gap-5"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const built = toConfig(v);
        if ("fields" in built) onSubmit(undefined, built.fields);
        else onSubmit(built.config, {});
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor="server-name" error={err("name")} hint="Lower-case letters, digits and dashes; prefixes its tools on the project endpoint.">
          <Input id="server-name" value={v.name} onChange={(e) => set("name", e.target.value)} placeholder="github" className="font-mono" />
        </Field>
        <Field label="Transport" htmlFor="server-transport">
          <Select value={v.transport} onValueChange={(t) => set("transport", t as Transport)}>
            <SelectTrigger id="server-transport">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="stdio">stdio (a command the gateway runs)</SelectItem>
              <SelectItem value="streamable_http">Streamable HTTP (remote URL)</SelectItem>
              <SelectItem value="sse">SSE (legacy remote URL)</SelectItem>
            </SelectContent>
          </Select>
        </Field>
      </div>
      {v.transport === "stdio" ? (
        <>
          <Field label="Command" htmlFor="server-command" error={err("command")} hint="Executable path or name on the gateway host's PATH.">
            <Input id="server-command" value={v.command} onChange={(e) => set("command", e.target.value)} placeholder="npx" className="font-mono" />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Arguments" htmlFor="server-args" error={err("args")} hint="One per line. Stored encrypted.">
              <Textarea id="server-args" value={v.args} onChange={(e) => set("args", e.target.value)} rows={4} className="font-mono text-xs" />
            </Field>
            <Field label="Environment" htmlFor="server-env" error={err("env")} hint="KEY=value, one per line. Stored encrypted; scrubbed from logs.">
              <Textarea id="server-env" value={v.env} onChange={(e) => set("env", e.target.value)} rows={4} className="font-mono text-xs" />
            </Field>
          </div>
          <Field label="Working directory" htmlFor="server-cwd" error={err("cwd")} hint="Optional, relative to the server's scratch directory.">
            <Input id="server-cwd" value={v.cwd} onChange={(e) => set("cwd", e.target.value)} className="font-mono" />
          </Field>
        </>
      ) : (
        <>
          <Field label="URL" htmlFor="server-url" error={err("url")} hint="Stored encrypted.">
            <Input id="server-url" value={v.url} onChange={(e) => set("url", e.target.value)} placeholder="https://mcp.example.com/mcp" className="font-mono" />
          </Field>
          <Field label="Headers" htmlFor="server-headers" error={err("headers")} hint="Header-Name: value, one per line (e.g. Authorization). Stored encrypted.">
            <Textarea id="server-headers" value={v.headers} onChange={(e) => set("headers", e.target.value)} rows={3} className="font-mono text-xs" />
          </Field>
        </>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Timeout (seconds)" htmlFor="server-timeout" error={err("timeoutMs")}>
          <Input id="server-timeout" type="number" min={1} max={600} value={v.timeoutSeconds} onChange={(e) => set("timeoutSeconds", e.target.value)} />
        </Field>
        <Field label="Isolation" htmlFor="server-isolation" hint={v.isolation === "shared" ? "One process shared by all sessions." : "One process per client session."}>
          <Select value={v.isolation} onValueChange={(i) => set("isolation", i as ServerFormValues["isolation"])}>
            <SelectTrigger id="server-isolation">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="shared">Shared</SelectItem>
              <SelectItem value="per_session">Per session</SelectItem>
            </SelectContent>
          </Select>
        </Field>
        <Field label="Enabled" htmlFor="server-enabled">
          <div className="flex h-9 items-center">
            <Switch id="server-enabled" checked={v.enabled} onCheckedChange={(c) => set("enabled", c)} />
          </div>
        </Field>
      </div>
      {fields._ ? <p className="text-sm text-destructive">{fields._}</p> : null}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}
