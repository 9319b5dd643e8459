import { Router } from "express";

export interface Wallet {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, Wallet>();
export const walletRouter = Router();

walletRouter.get("/wallets/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "wallet not found" });
  return res.json(item);
});

walletRouter.post("/wallets", (req, res) => {
  const item: Wallet = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
