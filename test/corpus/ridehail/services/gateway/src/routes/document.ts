import { Router } from "express";

export interface Document {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Document>();
export const documentRouter = Router();

documentRouter.get("/documents/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "document not found" });
  return res.json(item);
});

documentRouter.post("/documents", (req, res) => {
  const item: Document = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
