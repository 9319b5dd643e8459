import { Router } from "express";

export interface Referral {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Referral>();
export const referralRouter = Router();

referralRouter.get("/referrals/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "referral not found" });
  return res.json(item);
});

referralRouter.post("/referrals", (req, res) => {
  const item: Referral = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});

export const isTestRun = process.env.NODE_ENV === "test";
