/**
 * The gateway's pagination cursor for lists gathered from several upstreams: which server to go
 * on with and which page of its cached list (the upstream's own pages), bound to the endpoint and list it came from, signed
 * (HMAC-SHA256) so a client can neither forge nor alter it. Opaque to clients, as MCP requires.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

const payloadSchema = z.object({ l: z.string(), e: z.string(), s: z.string(), c: z.string().optional() });

export interface CursorPosition {
  /** The server to continue with. */
  serverId: string;
  /** The page of that server's list to go on with (its index, as text); absent to start at its first page. */
  upstreamCursor?: string;
}

export class ListCursors {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac("sha256", "switchyard list cursor").update(secret).digest();
  }

  /** `list` names the list (prompts, resources, …), `endpoint` the endpoint it was listed on. */
  encode(list: string, endpoint: string, position: CursorPosition): string {
    const payload = Buffer.from(JSON.stringify({ l: list, e: endpoint, s: position.serverId, ...(position.upstreamCursor !== undefined ? { c: position.upstreamCursor } : {}) })).toString("base64url");
    return `${payload}.${this.sign(payload)}`;
  }

  /** The position a cursor holds; undefined when it is forged, altered or from another list or endpoint. */
  decode(list: string, endpoint: string, cursor: string): CursorPosition | undefined {
    const [payload, signature, extra] = cursor.split(".");
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let parsed: z.infer<typeof payloadSchema>;
    try {
      parsed = payloadSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
    } catch {
      return undefined;
    }
    if (parsed.l !== list || parsed.e !== endpoint) return undefined;
    return { serverId: parsed.s, ...(parsed.c !== undefined ? { upstreamCursor: parsed.c } : {}) };
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.key).update(payload).digest("base64url");
  }
}
