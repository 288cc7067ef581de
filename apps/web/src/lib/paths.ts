/** Console paths, built in one place (server and client components). */
export const paths = {
  team: (team: string) => `/t/${team}`,
  teamMembers: (team: string) => `/t/${team}/members`,
  teamActivity: (team: string) => `/t/${team}/activity`,
  teamSettings: (team: string) => `/t/${team}/settings`,
  project: (team: string, project: string) => `/t/${team}/p/${project}`,
  projectSection: (team: string, project: string, section: "servers" | "tools" | "keys" | "activity" | "settings" | "servers/new") => `/t/${team}/p/${project}/${section}`,
  server: (team: string, project: string, server: string) => `/t/${team}/p/${project}/servers/${server}`,
  serverSection: (team: string, project: string, server: string, section: "tools" | "events" | "settings") => `/t/${team}/p/${project}/servers/${server}/${section}`,
};
