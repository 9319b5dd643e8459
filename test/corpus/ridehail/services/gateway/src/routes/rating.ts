import { Router } from "express";

export interface Rating {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Rating>();
export const ratingRouter = Router();

ratingRouter.get("/ratings/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "rating not found" });
  return res.json(item);
});

ratingRouter.post("/ratings", (req, res) => {
  const item: Rating = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
