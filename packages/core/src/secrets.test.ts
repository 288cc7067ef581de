import { describe, expect, it } from "vitest";
import { generateSecretKey, Keyring, parseSecretKey } from "./secrets";

describe("Keyring", () => {
  const keyring = Keyring.fromStrings(generateSecretKey());

  it("round-trips strings and JSON without the plaintext in the envelope", () => {
    const sealed = keyring.encryptJson({ GITHUB_TOKEN: "ghp_plaintext_value" });
    expect(sealed).not.toContain("ghp_plaintext_value");
    expect(sealed.startsWith(`sy1.${keyring.current.id}.`)).toBe(true);
    expect(keyring.decryptJson(sealed)).toEqual({ GITHUB_TOKEN: "ghp_plaintext_value" });
  });

  it("uses a fresh IV for every envelope", () => {
    expect(keyring.encrypt("same")).not.toBe(keyring.encrypt("same"));
  });

  it("rejects a tampered ciphertext, tag or key id", () => {
    const sealed = keyring.encrypt("secret");
    const parts = sealed.split(".");
    const flip = (s: string) => (s[0] === "A" ? `B${s.slice(1)}` : `A${s.slice(1)}`);
    expect(() => keyring.decrypt([parts[0], parts[1], parts[2], flip(parts[3] ?? ""), parts[4]].join("."))).toThrow();
    expect(() => keyring.decrypt([parts[0], parts[1], parts[2], parts[3], flip(parts[4] ?? "")].join("."))).toThrow();
    expect(() => keyring.decrypt("garbage")).toThrow("malformed");
  });

  it("opens envelopes of a previous key after rotation and seals new ones with the current key", () => {
    const oldKey = generateSecretKey();
    const before = Keyring.fromStrings(oldKey);
    const sealed = before.encrypt("rotate me");
    const after = Keyring.fromStrings(generateSecretKey(), [oldKey]);
    expect(after.decrypt(sealed)).toBe("rotate me");
    expect(after.needsRotation(sealed)).toBe(true);
    expect(after.needsRotation(after.encrypt("x"))).toBe(false);
    expect(() => Keyring.fromStrings(generateSecretKey()).decrypt(sealed)).toThrow(/unknown key/);
  });

  it("accepts 32-byte keys in hex or base64 and refuses others", () => {
    expect(parseSecretKey("ab".repeat(32)).key.length).toBe(32);
    expect(parseSecretKey(generateSecretKey()).key.length).toBe(32);
    expect(() => parseSecretKey("too-short")).toThrow("32 bytes");
  });
});
