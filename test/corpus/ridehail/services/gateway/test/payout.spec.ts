import { describe, expect, it } from "vitest";
import { payoutRouter } from "../src/routes/payout";

describe("payout routes", () => {
  it("registers handlers", () => {
    expect(payoutRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
