/** Console paths, built in one place (server and client components). */
export const paths = {
  team: (team: string) => `/t/${team}`,
  teamMembers: (team: string) => `/t/${team}/members`,
  teamActivity: (team: string) => `/t/${team}/activity`,
  teamLogs: (team: string) => `/t/${team}/logs`,
  teamSettings: (team: string) => `/t/${team}/settings`,
  project: (team: string, project: string) => `/t/${team}/p/${project}`,
  projectSection: (team: string, project: string, section: "servers" | "tools" | "keys" | "activity" | "settings" | "servers/new" | "logs" | "errors" | "sessions") => `/t/${team}/p/${project}/${section}`,
  server: (team: string, project: string, server: string) => `/t/${team}/p/${project}/servers/${server}`,
  serverSection: (team: string, project: string, server: string, section: "tools" | "events" | "settings") => `/t/${team}/p/${project}/servers/${server}/${section}`,
  /** The project explorer, optionally opened on a query. */
  logs: (team: string, project: string, q?: string, range?: string) => {
    const sp = new URLSearchParams();
    if (q) sp.set("q", q);
    if (range) sp.set("range", range);
    return `/t/${team}/p/${project}/logs${sp.size ? `?${sp.toString()}` : ""}`;
  },
  session: (team: string, project: string, id: string) => `/t/${team}/p/${project}/sessions/${id}`,
};
