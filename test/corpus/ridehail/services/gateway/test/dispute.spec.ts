import { describe, expect, it } from "vitest";
import { disputeRouter } from "../src/routes/dispute";

describe("dispute routes", () => {
  it("registers handlers", () => {
    expect(disputeRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
