import { Router } from "express";

export interface Vehicle {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Vehicle>();
export const vehicleRouter = Router();

vehicleRouter.get("/vehicles/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "vehicle not found" });
  return res.json(item);
});

vehicleRouter.post("/vehicles", (req, res) => {
  const item: Vehicle = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
