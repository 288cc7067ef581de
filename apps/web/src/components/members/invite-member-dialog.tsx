"use client";

import { TEAM_ROLES, type TeamRole } from "@switchyard/shared";
import { UserPlusIcon } from "lucide-react";
import { useState } from "react";
import { ActionForm } from "@/components/action-form";
import { CopyButton } from "@/components/copy-button";
import { Field } from "@/components/field";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { ROLE_DESCRIPTIONS } from "@/lib/roles";
import { inviteSchema } from "@/lib/schemas";
import { useFormAction } from "@/lib/use-form-action";
import { inviteMember } from "@/server/actions/members";

export function InviteMemberDialog({ teamId, canInviteOwners }: { teamId: string; canInviteOwners: boolean }) {
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<TeamRole>("developer");
  const [link, setLink] = useState<{ url: string; email: string } | null>(null);
  const form = useFormAction(inviteSchema, inviteMember, {
    success: "Invitation created",
    onSuccess: (r) => setLink({ url: `${window.location.origin}${r.path}`, email: r.email }),
  });
  const reset = () => {
    setLink(null);
    setRole("developer");
    form.reset();
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <UserPlusIcon />
          Invite member
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{link ? "Invitation link" : "Invite a member"}</DialogTitle>
          <DialogDescription>
            {link ? `Send this link to ${link.email}. It works once, for that email, for 7 days.` : "They join once they accept while signed in with this email."}
          </DialogDescription>
        </DialogHeader>
        {link ? (
          <div className="grid gap-3">
            <div className="flex items-center gap-2 rounded-md border bg-muted/40 px-3 py-2">
              <code className="min-w-0 flex-1 truncate text-xs" data-testid="invite-link">
                {link.url}
              </code>
              <CopyButton value={link.url} label="Copy invitation link" />
            </div>
            <Alert variant="info">
              <AlertDescription>This is the only time the link is shown. They can also accept from Invitations in their console.</AlertDescription>
            </Alert>
          </div>
        ) : (
          <ActionForm
            id="invite-member"
            className="grid gap-4"
            onSubmit={(data) => {
              form.submit({ teamId, email: data.get("email"), role });
            }}
          >
            <Field label="Email" htmlFor="invite-email" error={form.fields.email}>
              <Input id="invite-email" name="email" type="email" placeholder="teammate@example.com" autoFocus />
            </Field>
            <Field label="Role" htmlFor="invite-role" error={form.fields.role} hint={ROLE_DESCRIPTIONS[role]}>
              <Select value={role} onValueChange={(v) => setRole(v as TeamRole)}>
                <SelectTrigger id="invite-role">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {TEAM_ROLES.filter((r) => canInviteOwners || r !== "owner").map((r) => (
                    <SelectItem key={r} value={r}>
                      <span className="capitalize">{r}</span>
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </Field>
          </ActionForm>
        )}
        <DialogFooter>
          {link ? (
            <Button onClick={() => setOpen(false)}>Done</Button>
          ) : (
            <>
              <Button variant="outline" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" form="invite-member" disabled={form.pending}>
                {form.pending ? "Inviting…" : "Create invitation"}
              </Button>
            </>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
