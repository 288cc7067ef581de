/**
 * Inputs aimed at another tenant's data for every registered action and route, keyed by the
 * handler's name. A handler missing here fails the access suite: new handlers cannot be forgotten.
 * `null` marks handlers that act only on the caller's own account (no tenant data to reach).
 */
import type { Tenant } from "./web-fixture";

type Case = (victim: Tenant, attacker: Tenant) => Record<string, unknown>[];

const settings = (projectId: string) => ({
  projectId,
  name: "renamed",
  description: "",
  logPayloadPolicy: "full",
  redactionRules: [],
  retentionDays: 7,
  toolSeparator: "__",
  newToolPolicy: "enabled",
});
const remote = (name: string) => ({ name, transport: "streamable_http", url: "https://attacker.example.com/mcp" });

export const OWN_ACCOUNT_ONLY: Record<string, string> = {
  "auth.login": "public sign-in; acts on the credentials given",
  "auth.signup": "public sign-up; creates a new account",
  "auth.logout": "ends the caller's own session",
  "auth.resendVerification": "sends the caller's own verification link",
  "account.updateProfile": "the caller's own name",
  "account.changePassword": "the caller's own password",
  "teams.create": "creates a new team owned by the caller",
};

export const CASES: Record<string, Case> = {
  "teams.update": (v) => [{ teamId: v.teamId, name: "pwned", slug: "pwned-team" }],
  "teams.delete": (v) => [{ teamId: v.teamId, confirmSlug: v.teamSlug }],
  "members.invite": (v) => [{ teamId: v.teamId, email: "intruder@example.test", role: "owner" }],
  "members.revokeInvitation": (v, a) => [
    { teamId: v.teamId, invitationId: v.invitationId },
    { teamId: a.teamId, invitationId: v.invitationId },
  ],
  "members.changeRole": (v, a) => [
    { teamId: v.teamId, memberId: v.members.developer.memberId, role: "reporter" },
    { teamId: a.teamId, memberId: v.members.developer.memberId, role: "reporter" },
  ],
  "members.remove": (v, a) => [
    { teamId: v.teamId, memberId: v.members.developer.memberId },
    { teamId: a.teamId, memberId: v.members.developer.memberId },
  ],
  "members.leave": (v) => [{ teamId: v.teamId }],
  "invitations.acceptByToken": (v) => [{ token: v.inviteToken }],
  "invitations.accept": (v) => [{ invitationId: v.invitationId }],
  "invitations.decline": (v) => [{ invitationId: v.invitationId }],
  "projects.create": (v) => [{ teamId: v.teamId, name: "pwned" }],
  "projects.updateSettings": (v) => [settings(v.projectId)],
  "projects.delete": (v) => [{ projectId: v.projectId, confirmName: v.projectName }],
  "servers.create": (v) => [{ projectId: v.projectId, config: remote("pwned") }],
  "servers.previewImport": (v) => [{ projectId: v.projectId, json: JSON.stringify({ mcpServers: { [v.serverName]: { url: "https://x.example.com/mcp" } } }) }],
  "servers.import": (v) => [{ projectId: v.projectId, json: JSON.stringify({ mcpServers: { pwned: { url: "https://x.example.com/mcp" } } }) }],
  "servers.update": (v, a) => [
    { projectId: v.projectId, serverId: v.serverId, config: remote("pwned") },
    { projectId: a.projectId, serverId: v.serverId, config: remote("pwned") },
  ],
  "servers.setEnabled": (v, a) => [
    { projectId: v.projectId, serverId: v.serverId, enabled: false },
    { projectId: a.projectId, serverId: v.serverId, enabled: false },
  ],
  "servers.delete": (v, a) => [
    { projectId: v.projectId, serverId: v.serverId },
    { projectId: a.projectId, serverId: v.serverId },
  ],
  "servers.refresh": (v, a) => [
    { projectId: v.projectId, serverId: v.serverId },
    { projectId: a.projectId, serverId: v.serverId },
  ],
  "servers.refreshAll": (v) => [{ projectId: v.projectId }],
  "tools.setEnabled": (v, a) => [
    { projectId: v.projectId, toolId: v.toolId, enabled: false },
    { projectId: a.projectId, toolId: v.toolId, enabled: false },
  ],
  "tools.review": (v, a) => [
    { projectId: v.projectId, toolId: v.heldToolId, approve: true },
    { projectId: a.projectId, toolId: v.heldToolId, approve: true },
  ],
  "tools.tryIt": (v, a) => [
    { projectId: v.projectId, serverId: v.serverId, tool: "echo", arguments: {} },
    { projectId: a.projectId, serverId: v.serverId, tool: "echo", arguments: {} },
  ],
  "apiKeys.create": (v) => [{ projectId: v.projectId, name: "pwned" }],
  "apiKeys.revoke": (v, a) => [
    { projectId: v.projectId, keyId: v.keyId },
    { projectId: a.projectId, keyId: v.keyId },
  ],
  "admin.setUserActive": (v) => [{ userId: v.owner.id, active: false }],
  "admin.verificationLink": (v) => [{ userId: v.owner.id }],
  "admin.setUserAdmin": (v) => [{ userId: v.owner.id, isAdmin: true }],
  "admin.pauseJob": () => [{ jobName: "refresh-server-status" }],
  "admin.resumeJob": () => [{ jobName: "refresh-server-status" }],
  "admin.setJobInterval": () => [{ jobName: "refresh-server-status", minutes: 7 }],
  "admin.runJobNow": () => [{ jobName: "refresh-server-status" }],
  "api.servers.list": (v) => [{ projectId: v.projectId }],
  "api.jobs.get": (v) => [{ projectId: v.projectId, jobId: "0190b1c2-0000-7000-8000-000000000001" }],
  "api.activity.list": (v, a) => [{ teamId: v.teamId }, { teamId: a.teamId, projectId: v.projectId }],
  "api.admin.workers": () => [{}],
  "api.logs.list": (v, a) => [{ teamId: v.teamId }, { teamId: a.teamId, projectId: v.projectId }],
  "api.logs.facets": (v, a) => [{ teamId: v.teamId }, { teamId: a.teamId, projectId: v.projectId }],
  "api.logs.histogram": (v, a) => [{ teamId: v.teamId }, { teamId: a.teamId, projectId: v.projectId }],
  "api.logs.metrics": (v, a) => [{ teamId: v.teamId }, { teamId: a.teamId, projectId: v.projectId }],
  "api.logs.errorGroups": (v, a) => [{ teamId: v.teamId }, { teamId: a.teamId, projectId: v.projectId }],
  "api.logs.export": (v, a) => [{ teamId: v.teamId }, { teamId: a.teamId, projectId: v.projectId, format: "csv" }],
  "api.logs.call": (v, a) => [{ teamId: v.teamId, key: v.callKey }, { teamId: a.teamId, key: v.callKey }],
  "api.sessions.list": (v, a) => [{ teamId: v.teamId }, { teamId: a.teamId, projectId: v.projectId }],
  "savedViews.create": (v) => [{ projectId: v.projectId, name: "pwned", state: "q=status%3Aerror" }],
  "savedViews.delete": (v, a) => [
    { projectId: v.projectId, viewId: v.viewId },
    { projectId: a.projectId, viewId: v.viewId },
  ],
  "sessions.end": (v, a) => [
    { projectId: v.projectId, sessionId: v.sessionId },
    { projectId: a.projectId, sessionId: v.sessionId },
  ],
};
