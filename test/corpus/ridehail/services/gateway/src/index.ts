import express from "express";
import { config } from "./config.js";
import { requireAuth } from "./auth.js";
import { Breaker, BreakerState } from "./breaker.js";
import { loadPartnerKeys } from "./secrets.js";

const app = express();
const upstream = new Breaker();

app.get("/healthz", (_req, res) => {
  res.json({ ok: upstream.state !== BreakerState.Open, revision: process.env.K_REVISION ?? "local" });
});

app.use("/v1", requireAuth, async (req, res) => {
  const r = await fetch(`${config.upstreamApiUrl}${req.originalUrl}`, { method: req.method });
  upstream.record(r.ok);
  res.status(r.status).send(await r.text());
});

await loadPartnerKeys(["maps-partner-key", "fleet-partner-key"]);
app.listen(config.port, () => console.log(`gateway on ${config.port}`));
