"use client";

import type { ServerConfig } from "@switchyard/shared";
import { useRouter } from "next/navigation";
import { DeleteCard } from "@/components/delete-card";
import { updateServerFormSchema } from "@/lib/schemas";
import { useFormAction } from "@/lib/use-form-action";
import { deleteServer, updateServer } from "@/server/actions/servers";
import { formValuesOf, ServerForm } from "./server-form";

export function EditServer({ projectId, serverId, config, serversHref }: { projectId: string; serverId: string; config: ServerConfig; serversHref: string }) {
  const router = useRouter();
  const form = useFormAction(updateServerFormSchema, updateServer, {
    success: "Server saved; checking its status now",
    refresh: false,
    onSuccess: (s) => {
      router.replace(`${serversHref}/${s.name}/settings`);
      router.refresh();
    },
  });
  return <ServerForm initial={formValuesOf(config)} submitLabel="Save changes" form={form} onSubmit={(c, errors) => form.submit({ projectId, serverId, config: c }, errors)} />;
}

export function DeleteServerCard({ projectId, serverId, name, serversHref }: { projectId: string; serverId: string; name: string; serversHref: string }) {
  return (
    <DeleteCard
      noun="server"
      consequences="Its tools disappear from every client at once. Call logs stay until retention removes them."
      dialogTitle={`Delete ${name}?`}
      dialogDescription="This cannot be undone."
      confirmText={name}
      action={deleteServer}
      input={() => ({ projectId, serverId })}
      success={`Server ${name} deleted`}
      redirectTo={serversHref}
    />
  );
}
