import type { ServerStatus } from "@switchyard/shared";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

const LOOK: Record<ServerStatus, { label: string; variant: "success" | "warning" | "destructive" | "secondary"; dot: string }> = {
  online: { label: "Online", variant: "success", dot: "bg-success" },
  degraded: { label: "Degraded", variant: "warning", dot: "bg-warning" },
  offline: { label: "Offline", variant: "destructive", dot: "bg-destructive" },
  error: { label: "Error", variant: "destructive", dot: "bg-destructive" },
  unknown: { label: "Not checked", variant: "secondary", dot: "bg-muted-foreground/50" },
  installing: { label: "Installing", variant: "secondary", dot: "bg-warning animate-pulse" },
};

export function StatusBadge({ status, enabled = true, className }: { status: ServerStatus; enabled?: boolean; className?: string }) {
  if (!enabled) {
    return (
      <Badge variant="secondary" className={className} data-status="disabled">
        <span className="size-1.5 rounded-full bg-muted-foreground/40" />
        Disabled
      </Badge>
    );
  }
  const look = LOOK[status];
  return (
    <Badge variant={look.variant} className={className} data-status={status}>
      <span className={cn("size-1.5 rounded-full", look.dot)} />
      {look.label}
    </Badge>
  );
}
