import type { ActivityFeedItem } from "@switchyard/db";
import type { ActivityType } from "@switchyard/shared";

export interface ActivityView {
  id: string;
  type: ActivityType;
  summary: string;
  at: string;
  projectId: string | null;
  actor: { email: string; name: string } | null;
}

export function toActivityView(a: ActivityFeedItem): ActivityView {
  return {
    id: a.id,
    type: a.type,
    summary: a.summary,
    at: a.at.toISOString(),
    projectId: a.projectId,
    actor: a.actor ? { email: a.actor.email, name: a.actor.name } : null,
  };
}
