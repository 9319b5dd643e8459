import { Router } from "express";

export interface Promo {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Promo>();
export const promoRouter = Router();

promoRouter.get("/promos/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "promo not found" });
  return res.json(item);
});

promoRouter.post("/promos", (req, res) => {
  const item: Promo = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
