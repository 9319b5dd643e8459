import { describe, expect, it } from "vitest";
import { referralRouter } from "../src/routes/referral";

describe("referral routes", () => {
  it("registers handlers", () => {
    expect(referralRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
