import { describe, expect, it } from "vitest";
import { riderRouter } from "../src/routes/rider";

describe("rider routes", () => {
  it("registers handlers", () => {
    expect(riderRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
