import { describe, expect, it } from "vitest";
import { driverRouter } from "../src/routes/driver";

describe("driver routes", () => {
  it("registers handlers", () => {
    expect(driverRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
