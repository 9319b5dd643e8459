import { Router } from "express";

export interface Fare {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Fare>();
export const fareRouter = Router();

fareRouter.get("/fares/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "fare not found" });
  return res.json(item);
});

fareRouter.post("/fares", (req, res) => {
  const item: Fare = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
