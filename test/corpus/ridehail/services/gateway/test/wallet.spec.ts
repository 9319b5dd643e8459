import { describe, expect, it } from "vitest";
import { walletRouter } from "../src/routes/wallet";

describe("wallet routes", () => {
  it("registers handlers", () => {
    expect(walletRouter.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
