import { Router } from "express";

export interface Trip {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Trip>();
export const tripRouter = Router();

tripRouter.get("/trips/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "trip not found" });
  return res.json(item);
});

tripRouter.post("/trips", (req, res) => {
  const item: Trip = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
