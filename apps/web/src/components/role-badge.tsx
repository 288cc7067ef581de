import type { TeamRole } from "@switchyard/shared";
import { Badge } from "@/components/ui/badge";

export function RoleBadge({ role }: { role: TeamRole }) {
  const variant = role === "owner" ? "default" : role === "admin" ? "info" : "outline";
  return (
    <Badge variant={variant} className="capitalize">
      {role}
    </Badge>
  );
}
