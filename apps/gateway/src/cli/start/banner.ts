/** What `switchyard start` prints once everything answers: where things are, how to sign in. */
import type { Config } from "../../config";
import type { Supervised } from "../children";
import type { DatabaseLease } from "../database";
import type { FirstAdmin } from "../first-admin";

function credentials(admin: FirstAdmin | undefined): string[] {
  if (!admin) return [];
  if (!admin.password) return ["", `  First start: admin ${admin.email} created from ADMIN_EMAIL / ADMIN_PASSWORD`];
  return [
    "",
    `  Sign in as  ${admin.email}`,
    `  Password    ${admin.password}`,
    `              (kept in ${admin.file ?? "the data dir"} until this admin first signs in;`,
    "               lost it later? npx switchyard admin reset-password --email <email>)",
  ];
}

export function banner(config: Config, lease: DatabaseLease, admin: FirstAdmin | undefined, children: Supervised[], notes: string[]): string {
  const web = children.some((c) => c.name === "web") ? `http://${config.host}:${config.webPort}` : "(not started)";
  return [
    "",
    `  Switchyard is running (${config.mode})`,
    "",
    `  Console    ${web}`,
    `  Gateway    ${config.publicGatewayUrl}   MCP: /projects/<projectId>/mcp  ·  /projects/<projectId>/sse`,
    `  Database   ${lease.embedded ? `embedded Postgres in ${config.dataDir}/postgres` : "DATABASE_URL"}`,
    `  Queue      ${config.redisUrl ? "BullMQ on Redis" : "BullMQ on Postgres"}`,
    `  Data dir   ${config.dataDir}`,
    ...notes.map((n) => `  Note       ${n}`),
    ...credentials(admin),
    "",
    "  Press Ctrl-C to stop.",
    "",
  ].join("\n");
}
