import { describe, expect, it } from "vitest";
import { documentRouter } from "../src/routes/document";

describe("document routes", () => {
  it("registers handlers", () => {
    expect(documentRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
