"use client";

import { AlertTriangleIcon, PlusIcon } from "lucide-react";
import { useState } from "react";
import { ActionForm } from "@/components/action-form";
import { CopyButton } from "@/components/copy-button";
import { Field } from "@/components/field";
import { ConnectionSnippets } from "@/components/overview/connection-snippets";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { createApiKeySchema } from "@/lib/schemas";
import { useFormAction } from "@/lib/use-form-action";
import { createApiKey } from "@/server/actions/api-keys";

const EXPIRY = [
  { value: "never", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];

export function CreateApiKeyDialog({ projectId, projectSlug, gatewayUrl, servers }: { projectId: string; projectSlug: string; gatewayUrl: string; servers: string[] }) {
  const [open, setOpen] = useState(false);
  const [expiry, setExpiry] = useState("never");
  const form = useFormAction(createApiKeySchema, createApiKey, { success: "API key created" });
  const created = form.data;
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) {
          // The key is gone from the browser once the dialog closes: it was shown once.
          form.reset();
          setExpiry("never");
        }
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <PlusIcon />
          Create key
        </Button>
      </DialogTrigger>
      <DialogContent className={created ? "sm:max-w-2xl" : undefined}>
        <DialogHeader>
          <DialogTitle>{created ? `Key “${created.name}” created` : "Create an API key"}</DialogTitle>
          <DialogDescription>{created ? "Copy it now: it is not stored and will not be shown again." : "For one person, machine or CI job, so it can be revoked alone."}</DialogDescription>
        </DialogHeader>
        {created ? (
          <div className="grid gap-4">
            <Alert variant="warning">
              <AlertTriangleIcon />
              <AlertDescription>This is the only time the full key is shown.</AlertDescription>
            </Alert>
            <div className="flex items-center gap-2 rounded-md border bg-muted/40 px-3 py-2">
              <code className="min-w-0 flex-1 truncate text-xs" data-testid="new-api-key">
                {created.key}
              </code>
              <CopyButton value={created.key} label="Copy key" size="sm" />
            </div>
            <ConnectionSnippets gatewayUrl={gatewayUrl} projectId={projectId} projectSlug={projectSlug} servers={servers} apiKey={created.key} />
          </div>
        ) : (
          <ActionForm
            id="create-key"
            className="grid gap-4"
            onSubmit={(data) => {
              const rawRate = data.get("rate");
              const rate = typeof rawRate === "string" ? rawRate.trim() : "";
              form.submit({
                projectId,
                name: data.get("name"),
                ...(expiry !== "never" ? { expiresInDays: Number(expiry) } : {}),
                ...(rate ? { rateLimitPerMinute: Number(rate) } : {}),
              });
            }}
          >
            <Field label="Name" htmlFor="key-name" error={form.fields.name}>
              <Input id="key-name" name="name" placeholder="alice-laptop" autoFocus />
            </Field>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Expires" htmlFor="key-expiry" error={form.fields.expiresInDays}>
                <Select value={expiry} onValueChange={setExpiry}>
                  <SelectTrigger id="key-expiry">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {EXPIRY.map((x) => (
                      <SelectItem key={x.value} value={x.value}>
                        {x.label}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              </Field>
              <Field label="Rate limit (calls/min)" htmlFor="key-rate" error={form.fields.rateLimitPerMinute} hint="Empty: the instance default.">
                <Input id="key-rate" name="rate" type="number" min={1} inputMode="numeric" />
              </Field>
            </div>
          </ActionForm>
        )}
        <DialogFooter>
          {created ? (
            <Button onClick={() => setOpen(false)}>I have copied it</Button>
          ) : (
            <>
              <Button variant="outline" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" form="create-key" disabled={form.pending}>
                {form.pending ? "Creating…" : "Create key"}
              </Button>
            </>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
