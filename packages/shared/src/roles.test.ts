import { describe, expect, it } from "vitest";
import { TEAM_ROLES } from "./enums";
import { roleAtLeast } from "./roles";

describe("roleAtLeast", () => {
  it("ranks owner > admin > developer > reporter", () => {
    const granted = TEAM_ROLES.map((role) => TEAM_ROLES.filter((min) => roleAtLeast(role, min)));
    expect(granted).toEqual([
      ["owner", "admin", "developer", "reporter"],
      ["admin", "developer", "reporter"],
      ["developer", "reporter"],
      ["reporter"],
    ]);
  });
});
