import { describe, expect, it } from "vitest";
import { quoteRouter } from "../src/routes/quote";

describe("quote routes", () => {
  it("registers handlers", () => {
    expect(quoteRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
