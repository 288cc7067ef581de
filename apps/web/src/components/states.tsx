import { AlertTriangleIcon, type LucideIcon } from "lucide-react";
import type * as React from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";

/** What a list shows when it has nothing: says why, and what to do next. */
export function EmptyState({ icon: Icon, title, description, action, className }: { icon?: LucideIcon; title: string; description?: React.ReactNode; action?: React.ReactNode; className?: string }) {
  return (
    <div data-testid="empty-state" className={cn("flex flex-col items-center justify-center rounded-xl border border-dashed px-6 py-12 text-center", className)}>
      {Icon ? (
        <div className="mb-3 flex size-10 items-center justify-center rounded-full bg-muted">
          <Icon className="size-5 text-muted-foreground" />
        </div>
      ) : null}
      <p className="text-sm font-medium">{title}</p>
      {description ? <p className="mt-1 max-w-sm text-sm text-muted-foreground">{description}</p> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}

/** A failed load: never fall back to placeholder data, say it failed and offer a retry. */
export function ErrorState({ title = "Could not load this", message, action, className }: { title?: string; message?: string; action?: React.ReactNode; className?: string }) {
  return (
    <div data-testid="error-state" role="alert" className={cn("flex flex-col items-center justify-center rounded-xl border border-destructive/30 bg-destructive/5 px-6 py-10 text-center", className)}>
      <AlertTriangleIcon className="mb-2 size-5 text-destructive" />
      <p className="text-sm font-medium">{title}</p>
      {message ? <p className="mt-1 max-w-md text-sm text-muted-foreground">{message}</p> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}

export function TableSkeleton({ rows = 5, columns = 4 }: { rows?: number; columns?: number }) {
  return (
    <div data-testid="loading-state" className="space-y-2 rounded-xl border p-4" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_row, r) => (
        <div key={r} className="flex gap-4">
          {Array.from({ length: columns }, (_col, c) => (
            <Skeleton key={c} className={cn("h-5", c === 0 ? "w-1/4" : "flex-1")} />
          ))}
        </div>
      ))}
    </div>
  );
}

export function PageSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading">
      <div className="space-y-2">
        <Skeleton className="h-6 w-48" />
        <Skeleton className="h-4 w-72" />
      </div>
      <TableSkeleton />
    </div>
  );
}
