/**
 * Security finding 4, console side (docs/SECURITY.md): the sign-in throttle took the left-most
 * X-Forwarded-For entry (a client writes it: rotate it to bypass the block, name a victim to block
 * them), and its per-email lock let anyone lock a user out.
 */
import { describe, expect, it } from "vitest";
import { clientAddressFrom } from "@/server/auth/client-address";
import { accountDelayMs, loginRetryAfter, recordLoginFailure, recordLoginSuccess } from "@/server/auth/login-throttle";

const forwarded = (value: string) => new Headers({ "x-forwarded-for": value });

describe("security: console sign-in throttle", () => {
  it("reads the caller behind one proxy from the right, whatever the client wrote on the left", () => {
    expect(clientAddressFrom(forwarded("198.51.100.7, 10.40.0.1"), 1)).toBe("10.40.0.1");
    expect(clientAddressFrom(forwarded("10.40.0.9, 198.51.100.7, 10.40.0.1"), 1)).toBe("10.40.0.1");
    expect(clientAddressFrom(forwarded("198.51.100.7, 10.40.0.1, 172.18.0.5"), ["172.16.0.0/12"])).toBe("10.40.0.1");
  });

  it("neither lets a rotated X-Forwarded-For bypass the block nor blocks the victim it names", async () => {
    const email = "target@example.com";
    const attacker = "10.40.0.1";
    for (let i = 0; i < 10; i++) await recordLoginFailure(email, clientAddressFrom(forwarded(`198.51.100.${i}, ${attacker}`), 1));
    expect(await loginRetryAfter(email, clientAddressFrom(forwarded(`198.51.100.200, ${attacker}`), 1))).toBeGreaterThan(0);
    // The attacker wrote 10.40.0.2 on the left of every request: that address may still sign in.
    expect(await loginRetryAfter(email, clientAddressFrom(forwarded("10.40.0.2"), 1))).toBe(0);
  });

  it("never locks an account: strangers' failures only slow further attempts, and success clears that", async () => {
    const email = "victim@example.com";
    for (let i = 0; i < 60; i++) await recordLoginFailure(email, `10.50.${Math.floor(i / 10)}.${i % 10}`);
    const own = "10.60.0.1";
    expect(await loginRetryAfter(email, own)).toBe(0);
    const delay = await accountDelayMs(email);
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(5_000);
    await recordLoginSuccess(email, own);
    expect(await accountDelayMs(email)).toBe(0);
  });
});
