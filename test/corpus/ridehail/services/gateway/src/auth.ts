import jwt from "jsonwebtoken";
import type { NextFunction, Request, Response } from "express";
import { config } from "./config.js";

export function requireAuth(req: Request, res: Response, next: NextFunction): void {
  const header = req.headers.authorization ?? "";
  const token = header.startsWith("Bearer ") ? header.slice(7) : "";
  try {
    (req as Request & { user?: unknown }).user = jwt.verify(token, config.jwtSecret);
    next();
  } catch {
    res.status(401).json({ error: "unauthorized" });
  }
}
