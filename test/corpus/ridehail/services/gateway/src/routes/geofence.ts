import { Router } from "express";

export interface Geofence {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Geofence>();
export const geofenceRouter = Router();

geofenceRouter.get("/geofences/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "geofence not found" });
  return res.json(item);
});

geofenceRouter.post("/geofences", (req, res) => {
  const item: Geofence = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
