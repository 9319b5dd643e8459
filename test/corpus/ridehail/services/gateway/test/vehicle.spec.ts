import { describe, expect, it } from "vitest";
import { vehicleRouter } from "../src/routes/vehicle";

describe("vehicle routes", () => {
  it("registers handlers", () => {
    expect(vehicleRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
