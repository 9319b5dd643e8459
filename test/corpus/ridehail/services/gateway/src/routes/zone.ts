import { Router } from "express";

export interface Zone {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Zone>();
export const zoneRouter = Router();

zoneRouter.get("/zones/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "zone not found" });
  return res.json(item);
});

zoneRouter.post("/zones", (req, res) => {
  const item: Zone = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});

export const isTestRun = process.env.NODE_ENV === "test";
