import { Router } from "express";

export interface Driver {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Driver>();
export const driverRouter = Router();

driverRouter.get("/drivers/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "driver not found" });
  return res.json(item);
});

driverRouter.post("/drivers", (req, res) => {
  const item: Driver = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
