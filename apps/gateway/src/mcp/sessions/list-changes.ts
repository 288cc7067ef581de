/**
 * "The lists of a project changed": said by the project states (a reload found a new signature),
 * the catalogue (a first live listing) and the pool (an upstream's list_changed), heard by the
 * session hub, which tells the sessions. Built before either side, so neither needs the other.
 */
export type ListKind = "tools" | "prompts" | "resources";

/**
 * `local`: the change was seen by every instance (a reload after a change announced on the feed), so each
 * tells only the streams it holds; otherwise this instance alone saw it and streams held elsewhere are told too.
 */
export type ListChangeListener = (projectId: string, kinds: readonly ListKind[], serverId: string | undefined, local: boolean) => void;

export class ListChanges {
  private readonly listeners = new Set<ListChangeListener>();

  on(listener: ListChangeListener): void {
    this.listeners.add(listener);
  }

  tell(projectId: string, kinds: readonly ListKind[], opts: { serverId?: string; local?: boolean } = {}): void {
    for (const listener of this.listeners) listener(projectId, kinds, opts.serverId, opts.local ?? false);
  }
}
