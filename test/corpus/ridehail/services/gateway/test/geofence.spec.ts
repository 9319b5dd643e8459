import { describe, expect, it } from "vitest";
import { geofenceRouter } from "../src/routes/geofence";

describe("geofence routes", () => {
  it("registers handlers", () => {
    expect(geofenceRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
