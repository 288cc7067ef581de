/**
 * Secrets at rest: AES-256-GCM envelopes that carry the id of the key that sealed them, so the
 * key can be rotated (new writes use the current key; old envelopes open with a previous key).
 *
 * Envelope: `sy1.<keyId>.<iv b64url>.<ciphertext b64url>.<tag b64url>`
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { AppError } from "@switchyard/shared";

const PREFIX = "sy1";

export interface SecretKey {
  id: string;
  key: Buffer;
}

/** Parses a key given as 64 hex chars or base64(url) of 32 bytes. */
export function parseSecretKey(raw: string): SecretKey {
  const trimmed = raw.trim();
  let key: Buffer;
  if (/^[0-9a-f]{64}$/i.test(trimmed)) key = Buffer.from(trimmed, "hex");
  else key = Buffer.from(trimmed, "base64url");
  if (key.length !== 32) throw new Error("secret key must be 32 bytes (64 hex characters or base64)");
  const id = createHash("sha256").update(key).digest("hex").slice(0, 8);
  return { id, key };
}

export function generateSecretKey(): string {
  return randomBytes(32).toString("base64url");
}

export class Keyring {
  private readonly byId: Map<string, Buffer>;

  constructor(
    readonly current: SecretKey,
    previous: SecretKey[] = [],
  ) {
    this.byId = new Map([...previous, current].map((k) => [k.id, k.key]));
  }

  static fromStrings(current: string, previous: string[] = []): Keyring {
    return new Keyring(parseSecretKey(current), previous.map(parseSecretKey));
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    // The key id is authenticated too, so an envelope cannot be relabelled.
    cipher.setAAD(Buffer.from(this.current.id));
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [PREFIX, this.current.id, iv.toString("base64url"), ct.toString("base64url"), tag.toString("base64url")].join(".");
  }

  decrypt(envelope: string): string {
    const parts = envelope.split(".");
    const [prefix, keyId, iv, ct, tag] = parts;
    if (parts.length !== 5 || prefix !== PREFIX || !keyId || iv === undefined || ct === undefined || !tag) {
      throw new AppError("internal", "malformed secret envelope");
    }
    const key = this.byId.get(keyId);
    if (!key) throw new AppError("internal", `secret was sealed with unknown key ${keyId}; add it to SWITCHYARD_PREVIOUS_SECRET_KEYS`);
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T>(envelope: string): T {
    return JSON.parse(this.decrypt(envelope)) as T;
  }

  /** True when the envelope was sealed with a key other than the current one (rotation pending). */
  needsRotation(envelope: string): boolean {
    return envelope.split(".")[1] !== this.current.id;
  }
}
