import { describe, expect, it } from "vitest";
import { fareRouter } from "../src/routes/fare";

describe("fare routes", () => {
  it("registers handlers", () => {
    expect(fareRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
