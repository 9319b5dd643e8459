import { Router } from "express";

export interface Receipt {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Receipt>();
export const receiptRouter = Router();

receiptRouter.get("/receipts/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "receipt not found" });
  return res.json(item);
});

receiptRouter.post("/receipts", (req, res) => {
  const item: Receipt = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
