import type { Request, Response } from "express";
import { CircuitBreaker, CircuitState } from "./breaker";
import { pool } from "./db";

export const dbBreaker = new CircuitBreaker("postgres");

export function isTripped(breaker: CircuitBreaker): boolean {
  if (breaker.state === CircuitState.Open) {
    return true;
  }
  return false;
}

/** Readiness probe: 503 while the database breaker is open or the pool cannot connect. */
export async function healthz(_req: Request, res: Response): Promise<void> {
  if (isTripped(dbBreaker)) {
    res.status(503).json({ status: "degraded", postgres: dbBreaker.state });
    return;
  }
  try {
    await dbBreaker.call(() => pool.query("SELECT 1"));
    res.json({ status: "ok" });
  } catch {
    res.status(503).json({ status: "degraded", postgres: dbBreaker.state });
  }
}
