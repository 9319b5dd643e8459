import { describe, expect, it } from "vitest";
import { surgeRouter } from "../src/routes/surge";

describe("surge routes", () => {
  it("registers handlers", () => {
    expect(surgeRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
