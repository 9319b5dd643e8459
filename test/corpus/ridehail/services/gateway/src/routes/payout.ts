import { Router } from "express";

export interface Payout {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Payout>();
export const payoutRouter = Router();

payoutRouter.get("/payouts/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "payout not found" });
  return res.json(item);
});

payoutRouter.post("/payouts", (req, res) => {
  const item: Payout = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
