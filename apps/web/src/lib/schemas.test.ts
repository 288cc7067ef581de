import { changePasswordInputSchema, createApiKeyInputSchema, signUpInputSchema } from "@switchyard/core/services";
import { passwordSchema as corePasswordSchema } from "@switchyard/core/passwords";
import { describe, expect, it } from "vitest";
import { changePasswordSchema, createApiKeySchema, passwordSchema, signupSchema } from "./schemas";

/** The console's form schemas mirror the core services' (which cannot ship to the browser): they must agree. */
describe("form schemas mirror the services' schemas", () => {
  const passwords = ["", "short", "123456789", "1234567890", "a".repeat(256), "a".repeat(257), "correct horse battery"];

  it("accepts and refuses the same passwords", () => {
    for (const p of passwords) expect(passwordSchema.safeParse(p).success, p).toBe(corePasswordSchema.safeParse(p).success);
  });

  it("accepts and refuses the same sign-ups", () => {
    const samples = [
      { name: "A", email: "a@example.test", password: "long enough pw" },
      { name: "", email: "a@example.test", password: "long enough pw" },
      { name: "A", email: "not-an-email", password: "long enough pw" },
      { name: "A", email: "a@example.test", password: "short" },
      { name: "A", email: "a@example.test", password: "long enough pw", inviteToken: "x".repeat(201) },
    ];
    for (const s of samples) expect(signupSchema.safeParse(s).success, JSON.stringify(s)).toBe(signUpInputSchema.safeParse(s).success);
  });

  it("accepts and refuses the same password changes", () => {
    for (const s of [
      { currentPassword: "old password 1", newPassword: "new password 1" },
      { currentPassword: "same password", newPassword: "same password" },
      { currentPassword: "", newPassword: "new password 1" },
    ]) {
      expect(changePasswordSchema.safeParse(s).success).toBe(changePasswordInputSchema.safeParse(s).success);
    }
  });

  it("accepts the same key names and rate limits", () => {
    for (const s of [{ name: "ci" }, { name: "" }, { name: "x".repeat(101) }, { name: "ci", rateLimitPerMinute: 0 }, { name: "ci", rateLimitPerMinute: 100_001 }, { name: "ci", rateLimitPerMinute: 60 }]) {
      expect(createApiKeySchema.safeParse({ projectId: "0190b1c2-0000-7000-8000-000000000001", ...s }).success, JSON.stringify(s)).toBe(createApiKeyInputSchema.safeParse(s).success);
    }
  });
});
