"use client";

import { PlusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionForm } from "@/components/action-form";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { paths } from "@/lib/paths";
import { createProjectSchema } from "@/lib/schemas";
import { useFormAction } from "@/lib/use-form-action";
import { createProject } from "@/server/actions/projects";

export function CreateProjectDialog({ teamId, teamSlug }: { teamId: string; teamSlug: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const form = useFormAction(createProjectSchema, createProject, {
    success: "Project created",
    refresh: false,
    onSuccess: (p) => {
      setOpen(false);
      router.push(paths.project(teamSlug, p.slug));
      router.refresh();
    },
  });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon />
          New project
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New project</DialogTitle>
          <DialogDescription>A project groups MCP servers behind one gateway URL, with its own keys and logs.</DialogDescription>
        </DialogHeader>
        <ActionForm
          id="create-project"
          className="grid gap-4"
          onSubmit={(data) => {
            form.submit({ teamId, name: data.get("name"), description: data.get("description") ?? "" });
          }}
        >
          <Field label="Name" htmlFor="project-name" error={form.fields.name}>
            <Input id="project-name" name="name" placeholder="Developer tools" autoFocus />
          </Field>
          <Field label="Description" htmlFor="project-description" error={form.fields.description} hint="Optional.">
            <Textarea id="project-description" name="description" rows={3} />
          </Field>
        </ActionForm>
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button type="submit" form="create-project" disabled={form.pending}>
            {form.pending ? "Creating…" : "Create project"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
