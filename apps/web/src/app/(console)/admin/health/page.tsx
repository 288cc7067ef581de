import { CheckCircle2Icon, XCircleIcon } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDuration } from "@/lib/format";
import { getDeps } from "@/server/deps";
import { runHealthChecks } from "@/server/health";
import { requireAdmin } from "@/server/pages";

export const metadata: Metadata = { title: "System health" };

export default async function HealthPage() {
  await requireAdmin();
  const deps = await getDeps();
  const checks = await runHealthChecks(deps);
  const c = deps.config;
  const settings: [string, string][] = [
    ["Mode", c.mode],
    ["Public gateway URL", c.publicGatewayUrl],
    ["Sign-up", c.allowSignup ? "open" : "by invitation"],
    ["stdio servers", c.policy.stdio],
    ["Private upstream URLs", c.policy.allowPrivateUpstreams ? "allowed" : "refused"],
  ];
  return (
    <>
      <PageHeader title="System health" description="Checked now, from this console's server." />
      <div className="grid gap-4 md:grid-cols-3">
        {checks.map((h) => (
          <Card key={h.name} className={h.ok ? undefined : "border-destructive/40"} data-testid="health-check" data-ok={h.ok}>
            <CardHeader className="flex-row items-center gap-2">
              {h.ok ? <CheckCircle2Icon className="size-5 text-success" /> : <XCircleIcon className="size-5 text-destructive" />}
              <CardTitle>{h.name}</CardTitle>
            </CardHeader>
            <CardContent className="space-y-1 text-sm">
              <p className="font-mono text-xs break-words">{h.detail}</p>
              <p className="text-xs text-muted-foreground">{h.ok ? `answered in ${formatDuration(h.latencyMs)}` : "failing"}</p>
            </CardContent>
          </Card>
        ))}
      </div>
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Configuration</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="divide-y text-sm">
            {settings.map(([k, v]) => (
              <div key={k} className="grid grid-cols-3 gap-4 py-2">
                <dt className="text-muted-foreground">{k}</dt>
                <dd className="col-span-2 font-mono text-xs">{v}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
    </>
  );
}
