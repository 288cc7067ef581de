"use client";

import type { LogPayloadPolicy, NewToolPolicy, RedactionRule } from "@switchyard/shared";
import { useState } from "react";
import { DeleteCard } from "@/components/delete-card";
import { Field } from "@/components/field";
import { SettingsCard } from "@/components/settings-card";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { projectSettingsFormSchema } from "@/lib/schemas";
import { useFormAction } from "@/lib/use-form-action";
import { deleteProject, updateProjectSettings } from "@/server/actions/projects";

export interface ProjectSettingsView {
  projectId: string;
  name: string;
  description: string;
  logPayloadPolicy: LogPayloadPolicy;
  redactionRules: RedactionRule[];
  retentionDays: number;
  toolSeparator: string;
  newToolPolicy: NewToolPolicy;
}

/** Redaction rules edited as lines: `key:<json key>` masks a key's values, anything else is a regex. */
function rulesToText(rules: RedactionRule[]): string {
  return rules.map((r) => (r.type === "key" ? `key:${r.key}` : r.pattern)).join("\n");
}

function textToRules(text: string): unknown[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (l.startsWith("key:") ? { type: "key", key: l.slice(4).trim() } : { type: "regex", pattern: l, replacement: "[REDACTED]" }));
}

export function ProjectSettingsForm({ settings, disabled }: { settings: ProjectSettingsView; disabled: boolean }) {
  const [payload, setPayload] = useState(settings.logPayloadPolicy);
  const [newTools, setNewTools] = useState(settings.newToolPolicy);
  const form = useFormAction(projectSettingsFormSchema, updateProjectSettings, { success: "Settings saved" });
  const ruleError = Object.entries(form.fields).find(([k]) => k.startsWith("redactionRules"))?.[1];
  return (
    <SettingsCard
      title="General"
      description="Changes reach the gateway within seconds."
      disabled={disabled}
      pending={form.pending}
      saveLabel="Save settings"
      savingLabel="Saving…"
      className="gap-5"
      onSubmit={(d) =>
        form.submit({
          projectId: settings.projectId,
          name: d.get("name"),
          description: d.get("description") ?? "",
          logPayloadPolicy: payload,
          redactionRules: textToRules(typeof d.get("redaction") === "string" ? (d.get("redaction") as string) : ""),
          retentionDays: Number(d.get("retention")),
          toolSeparator: d.get("separator"),
          newToolPolicy: newTools,
        })
      }
    >
      <Field label="Name" htmlFor="p-name" error={form.fields.name}>
        <Input id="p-name" name="name" defaultValue={settings.name} disabled={disabled} />
      </Field>
      <Field label="Description" htmlFor="p-desc" error={form.fields.description}>
        <Textarea id="p-desc" name="description" defaultValue={settings.description} rows={2} disabled={disabled} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Call payloads in logs" htmlFor="p-payload" hint={payload === "full" ? "Inputs and outputs are stored, after scrubbing secrets." : "Only metadata (tool, status, timing) is stored."}>
          <Select value={payload} onValueChange={(v) => setPayload(v as LogPayloadPolicy)} disabled={disabled}>
            <SelectTrigger id="p-payload">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="full">Full payloads</SelectItem>
              <SelectItem value="metadata_only">Metadata only</SelectItem>
            </SelectContent>
          </Select>
        </Field>
        <Field label="Log retention (days)" htmlFor="p-retention" error={form.fields.retentionDays} hint="1–365; older calls are purged daily.">
          <Input id="p-retention" name="retention" type="number" min={1} max={365} defaultValue={settings.retentionDays} disabled={disabled} />
        </Field>
        <Field label="Tool-name separator" htmlFor="p-sep" error={form.fields.toolSeparator} hint="Between server and tool on the project endpoint; must contain _.">
          <Input id="p-sep" name="separator" defaultValue={settings.toolSeparator} className="font-mono" disabled={disabled} />
        </Field>
        <Field label="New tools" htmlFor="p-newtools" hint={newTools === "enabled" ? "Tools a server starts offering are available at once." : "New tools stay hidden until an admin approves them."}>
          <Select value={newTools} onValueChange={(v) => setNewTools(v as NewToolPolicy)} disabled={disabled}>
            <SelectTrigger id="p-newtools">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="enabled">Enable automatically</SelectItem>
              <SelectItem value="held">Hold for approval</SelectItem>
            </SelectContent>
          </Select>
        </Field>
      </div>
      <Field label="Redaction rules" htmlFor="p-redaction" error={ruleError} hint="One per line: a regular expression, or key:NAME to mask every value of a JSON key. Applied to logged payloads.">
        <Textarea id="p-redaction" name="redaction" defaultValue={rulesToText(settings.redactionRules)} rows={3} className="font-mono text-xs" disabled={disabled} />
      </Field>
    </SettingsCard>
  );
}

export function DeleteProjectCard({ projectId, name, teamHref }: { projectId: string; name: string; teamHref: string }) {
  return (
    <DeleteCard
      className="mt-6"
      noun="project"
      consequences="Deletes its servers and API keys; clients using them stop working at once."
      dialogTitle="Delete this project?"
      dialogDescription="This cannot be undone."
      confirmText={name}
      action={deleteProject}
      input={(typed) => ({ projectId, confirmName: typed })}
      success="Project deleted"
      redirectTo={teamHref}
    />
  );
}
