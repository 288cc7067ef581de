import type { Metadata } from "next";
import { CreateTeamForm } from "@/components/teams/create-team-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

export const metadata: Metadata = { title: "Create team" };

export default function NewTeamPage() {
  return (
    <div className="mx-auto max-w-lg pt-8">
      <Card>
        <CardHeader>
          <CardTitle className="text-lg">Create a team</CardTitle>
          <CardDescription>Teams own projects, servers and API keys. You will be its owner and can invite others.</CardDescription>
        </CardHeader>
        <CardContent>
          <CreateTeamForm />
        </CardContent>
      </Card>
    </div>
  );
}
