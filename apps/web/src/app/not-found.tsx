import Link from "next/link";
import { Logo } from "@/components/logo";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center gap-4 px-4 text-center" data-testid="not-found">
      <Logo />
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="max-w-sm text-sm text-muted-foreground">It does not exist, or your account has no access to it.</p>
      <Button asChild variant="outline">
        <Link href="/">Go to the console</Link>
      </Button>
    </div>
  );
}
