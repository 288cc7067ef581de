"use client";

import type { ServerConfig } from "@switchyard/shared";
import { useRouter } from "next/navigation";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { attempt, useAction } from "@/lib/action-client";
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
  const router = useRouter();
  const remove = useAction(deleteServer, {
    success: `Server ${name} deleted`,
    refresh: false,
    onSuccess: () => {
      router.push(serversHref);
      router.refresh();
    },
  });
  return (
    <Card className="border-destructive/40">
      <CardHeader>
        <CardTitle className="text-destructive">Delete server</CardTitle>
        <CardDescription>Its tools disappear from every client at once. Call logs stay until retention removes them.</CardDescription>
      </CardHeader>
      <CardFooter className="justify-end">
        <ConfirmDialog
          trigger={<Button variant="destructive">Delete server</Button>}
          title={`Delete ${name}?`}
          description="This cannot be undone."
          confirmText={name}
          pending={remove.isPending}
          onConfirm={() => attempt(remove.mutateAsync, { projectId, serverId })}
        />
      </CardFooter>
    </Card>
  );
}
