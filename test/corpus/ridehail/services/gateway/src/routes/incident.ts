import { Router } from "express";

export interface Incident {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Incident>();
export const incidentRouter = Router();

incidentRouter.get("/incidents/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "incident not found" });
  return res.json(item);
});

incidentRouter.post("/incidents", (req, res) => {
  const item: Incident = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
