import { Router } from "express";

export interface Surge {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Surge>();
export const surgeRouter = Router();

surgeRouter.get("/surges/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "surge not found" });
  return res.json(item);
});

surgeRouter.post("/surges", (req, res) => {
  const item: Surge = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
