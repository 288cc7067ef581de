"use client";

import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorState
      title="This page could not be loaded"
      message={`The server ran into a problem${error.digest ? ` (reference ${error.digest})` : ""}. Nothing is shown rather than something wrong.`}
      action={
        <Button variant="outline" onClick={reset}>
          Try again
        </Button>
      }
    />
  );
}
