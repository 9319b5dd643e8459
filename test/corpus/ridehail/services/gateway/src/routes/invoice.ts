import { Router } from "express";

export interface Invoice {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Invoice>();
export const invoiceRouter = Router();

invoiceRouter.get("/invoices/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "invoice not found" });
  return res.json(item);
});

invoiceRouter.post("/invoices", (req, res) => {
  const item: Invoice = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});

export const isTestRun = process.env.NODE_ENV === "test";
