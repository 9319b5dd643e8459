import { Router } from "express";

export interface Shift {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Shift>();
export const shiftRouter = Router();

shiftRouter.get("/shifts/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "shift not found" });
  return res.json(item);
});

shiftRouter.post("/shifts", (req, res) => {
  const item: Shift = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
