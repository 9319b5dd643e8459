import { describe, expect, it } from "vitest";
import { invoiceRouter } from "../src/routes/invoice";

describe("invoice routes", () => {
  it("registers handlers", () => {
    expect(invoiceRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
