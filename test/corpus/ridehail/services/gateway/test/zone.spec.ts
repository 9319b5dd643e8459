import { describe, expect, it } from "vitest";
import { zoneRouter } from "../src/routes/zone";

describe("zone routes", () => {
  it("registers handlers", () => {
    expect(zoneRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
