import { describe, expect, it } from "vitest";
import { tripRouter } from "../src/routes/trip";

describe("trip routes", () => {
  it("registers handlers", () => {
    expect(tripRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
