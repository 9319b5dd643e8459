import { describe, expect, it } from "vitest";
import { shiftRouter } from "../src/routes/shift";

describe("shift routes", () => {
  it("registers handlers", () => {
    expect(shiftRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
