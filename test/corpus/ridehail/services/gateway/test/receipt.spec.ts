import { describe, expect, it } from "vitest";
import { receiptRouter } from "../src/routes/receipt";

describe("receipt routes", () => {
  it("registers handlers", () => {
    expect(receiptRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
