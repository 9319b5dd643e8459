import { Router } from "express";

export interface Dispute {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Dispute>();
export const disputeRouter = Router();

disputeRouter.get("/disputes/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "dispute not found" });
  return res.json(item);
});

disputeRouter.post("/disputes", (req, res) => {
  const item: Dispute = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
