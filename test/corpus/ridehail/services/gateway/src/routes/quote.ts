import { Router } from "express";

export interface Quote {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Quote>();
export const quoteRouter = Router();

quoteRouter.get("/quotes/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "quote not found" });
  return res.json(item);
});

quoteRouter.post("/quotes", (req, res) => {
  const item: Quote = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
