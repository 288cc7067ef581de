/** Fans an upstream's `list_changed` notifications out to the pool's listeners (the HTTP layer refreshes catalogues and tells sessions). */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";

export type ListChangedKind = "tools" | "prompts" | "resources";
export type ListChangedListener = (projectId: string, serverId: string, kind: ListChangedKind) => void;

export class ListChangedHub {
  private readonly listeners = new Set<ListChangedListener>();

  subscribe(listener: ListChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Routes the client's list_changed notifications to every listener, as changes of (projectId, serverId). */
  watch(client: Client, projectId: string, serverId: string): void {
    const emit = (kind: ListChangedKind) => () => {
      for (const listener of this.listeners) {
        try {
          listener(projectId, serverId, kind);
        } catch {
          // One listener's failure must not keep the others from hearing about the change.
        }
      }
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, emit("tools"));
    client.setNotificationHandler(PromptListChangedNotificationSchema, emit("prompts"));
    client.setNotificationHandler(ResourceListChangedNotificationSchema, emit("resources"));
  }

  clear(): void {
    this.listeners.clear();
  }
}
