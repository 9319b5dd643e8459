import { describe, expect, it } from "vitest";
import { incidentRouter } from "../src/routes/incident";

describe("incident routes", () => {
  it("registers handlers", () => {
    expect(incidentRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
