import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { safeNext } from "@/lib/safe-next";
import { getDeps } from "@/server/deps";
import { getSessionUser } from "@/server/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await getSessionUser()) redirect(next);
  const { config } = await getDeps();
  const invite = next.startsWith("/invite/") ? next.slice("/invite/".length) : undefined;
  const signupHref = invite ? `/signup?invite=${encodeURIComponent(invite)}` : "/signup";
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Sign in</CardTitle>
        <CardDescription>{params.reason === "password" ? "Your password was changed. Sign in with the new one." : "Welcome back."}</CardDescription>
      </CardHeader>
      <CardContent>
        <LoginForm next={next} />
        {config.allowSignup || invite ? (
          <p className="mt-4 text-center text-sm text-muted-foreground">
            No account yet?{" "}
            <Link className="font-medium text-foreground underline-offset-4 hover:underline" href={signupHref}>
              Create one
            </Link>
          </p>
        ) : (
          <p className="mt-4 text-center text-xs text-muted-foreground">Accounts on this instance are created by invitation.</p>
        )}
      </CardContent>
    </Card>
  );
}
