"use client";

import { useRouter } from "next/navigation";
import { Card, CardContent } from "@/components/ui/card";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { serverFormSchema } from "@/lib/schemas";
import { useFormAction } from "@/lib/use-form-action";
import { createServer } from "@/server/actions/servers";
import { ImportServers } from "./import-servers";
import { formValuesOf, ServerForm } from "./server-form";

export function AddServer({ projectId, serversHref }: { projectId: string; serversHref: string }) {
  const router = useRouter();
  const form = useFormAction(serverFormSchema, createServer, {
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
            <ServerForm initial={formValuesOf(null)} submitLabel="Add server" form={form} onSubmit={(config, errors) => form.submit({ projectId, config }, errors)} />
          </CardContent>
        </Card>
      </TabsContent>
      <TabsContent value="json">
        <ImportServers projectId={projectId} serversHref={serversHref} />
      </TabsContent>
    </Tabs>
  );
}
