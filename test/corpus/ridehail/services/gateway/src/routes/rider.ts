import { Router } from "express";

export interface Rider {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Rider>();
export const riderRouter = Router();

riderRouter.get("/riders/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "rider not found" });
  return res.json(item);
});

riderRouter.post("/riders", (req, res) => {
  const item: Rider = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});

export const isTestRun = process.env.NODE_ENV === "test";
