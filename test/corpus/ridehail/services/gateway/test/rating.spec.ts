import { describe, expect, it } from "vitest";
import { ratingRouter } from "../src/routes/rating";

describe("rating routes", () => {
  it("registers handlers", () => {
    expect(ratingRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
