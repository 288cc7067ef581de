/**
 * Security finding 5 (docs/SECURITY.md): `/login?next=/%09/evil.example` sent a signed-in user to
 * http://evil.example/ (the browser drops the tab and reads `//evil.example`), and `next=/%0A/…`
 * gave a 500.
 */
import { describe, expect, it } from "vitest";
import { safeNext } from "@/lib/safe-next";

/** Where a browser on the console's origin goes for a Location header of `path`. */
const landsOn = (path: string) => new URL(path, "https://console.example.com").origin;

describe("security: open redirect after sign-in", () => {
  it("keeps /%09/, /%0A/ and every other off-site form of next on the site", () => {
    const attacks = ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "//evil.example", "/\\evil.example", "/\\/evil.example", "https://evil.example", "/.//evil.example", "/%2F/evil.example", " /evil.example", "/\u0000/evil.example"];
    for (const attack of attacks) {
      const next = safeNext(attack);
      expect(landsOn(next), attack).toBe("https://console.example.com");
      expect(next.startsWith("//")).toBe(false);
    }
    expect(safeNext("/\t/evil.example")).toBe("/");
  });

  it("still follows same-site paths with their query", () => {
    expect(safeNext("/t/platform/p/main?tab=keys#top")).toBe("/t/platform/p/main?tab=keys#top");
    expect(safeNext(["/invitations", "/other"])).toBe("/invitations");
    expect(safeNext(undefined)).toBe("/");
  });
});
