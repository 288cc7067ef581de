/**
 * Security finding 6 (docs/SECURITY.md): with open sign-up (the zero-setup default) anyone could
 * sign up with an invited address and accept the invitation, becoming a member with the invited
 * role. A self sign-up must now prove the address first; until then it neither sees nor accepts
 * invitations addressed to it.
 */
import { acceptInvitationById, acceptInvitationByToken, issueEmailVerification, listInvitationsForUser, signUp, verifyEmail } from "@switchyard/core/services";
import { getMembership } from "@switchyard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenant, setupWebFixture, type Tenant, type WebFixture } from "../helpers/web-fixture";

let f: WebFixture;
let victim: Tenant;

beforeAll(async () => {
  f = await setupWebFixture();
  victim = await makeTenant(f.deps, "hijack");
}, 120_000);

afterAll(async () => f?.close());

describe("security: invitations need a verified email", () => {
  it("an unverified sign-up with the invited address cannot see or accept the invitation; once verified it can", async () => {
    const attacker = await signUp(f.deps, { name: "Mallory", email: victim.invitedEmail, password: "a long enough password" }, { allowSignup: true });
    expect(attacker.emailVerifiedAt).toBeNull();
    const invitee = { userId: attacker.id, email: attacker.email };

    expect(await listInvitationsForUser(f.deps, attacker.id)).toEqual([]);
    await expect(acceptInvitationById(f.deps, invitee, victim.invitationId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(acceptInvitationByToken(f.deps, invitee, victim.inviteToken)).rejects.toMatchObject({ code: "forbidden" });
    expect(await getMembership(f.deps.db, victim.teamId, attacker.id)).toBeUndefined();

    // Only whoever reads that mailbox gets the link.
    const issued = await issueEmailVerification(f.deps, attacker.id);
    if (!issued) throw new Error("no verification issued");
    await expect(verifyEmail(f.deps, "not-the-token")).rejects.toMatchObject({ code: "not_found" });
    await verifyEmail(f.deps, issued.token);
    expect((await listInvitationsForUser(f.deps, attacker.id)).map((i) => i.id)).toEqual([victim.invitationId]);
    await expect(verifyEmail(f.deps, issued.token)).rejects.toMatchObject({ code: "not_found" });
    const joined = await acceptInvitationById(f.deps, invitee, victim.invitationId);
    expect(joined.role).toBe("developer");
  });

  it("a sign-up through the invitation link itself counts as verified (the token went to that address)", async () => {
    const other = await makeTenant(f.deps, "linked");
    const user = await signUp(f.deps, { name: "Invitee", email: other.invitedEmail, password: "a long enough password", inviteToken: other.inviteToken }, { allowSignup: true });
    expect(user.emailVerifiedAt).not.toBeNull();
    await acceptInvitationByToken(f.deps, { userId: user.id, email: user.email }, other.inviteToken);
    expect(await getMembership(f.deps.db, other.teamId, user.id)).toBeDefined();
  });
});
