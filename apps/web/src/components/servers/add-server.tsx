"use client";

import { useRouter } from "next/navigation";
import { Card, CardContent } from "@/components/ui/card";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { fieldErrorsOf, useAction } from "@/lib/action-client";
import { createServer } from "@/server/actions/servers";
import { ImportServers } from "./import-servers";
import { formValuesOf, ServerForm } from "./server-form";

export function AddServer({ projectId, serversHref }: { projectId: string; serversHref: string }) {
  const router = useRouter();
  const create = useAction(createServer, {
    success: (s) => `Server ${s.name} added; checking its status now`,
    refresh: false,
    onSuccess: (s) => {
      router.push(`${serversHref}/${s.name}`);
      router.refresh();
    },
  });
  return (
    <Tabs defaultValue="form">
      <TabsList>
        <TabsTrigger value="form">Form</TabsTrigger>
        <TabsTrigger value="json">Paste mcpServers JSON</TabsTrigger>
      </TabsList>
      <TabsContent value="form">
        <Card>
          <CardContent className="pt-5">
            <ServerForm projectId={projectId} initial={formValuesOf(null)} submitLabel="Add server" pending={create.isPending} serverErrors={fieldErrorsOf(create.error)} onSubmit={(config) => create.mutate({ projectId, config })} />
          </CardContent>
        </Card>
      </TabsContent>
      <TabsContent value="json">
        <ImportServers projectId={projectId} serversHref={serversHref} />
      </TabsContent>
    </Tabs>
  );
}
