import { describe, expect, it } from "vitest";
import { promoRouter } from "../src/routes/promo";

describe("promo routes", () => {
  it("registers handlers", () => {
    expect(promoRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
