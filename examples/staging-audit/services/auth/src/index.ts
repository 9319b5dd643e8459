import express from "express";
import jwt from "jsonwebtoken";
import { env, googleOAuthClient, jwtSecretKey, loadSecrets, serviceSecret } from "./config";
import { findUserByEmail } from "./db";
import { healthz } from "./health";

const app = express();
app.use(express.json());

app.get("/healthz", healthz);

/** Backend -> auth: exchange a verified Google identity for a Netra access token. */
app.post("/internal/token", async (req, res) => {
  if (req.get("x-service-secret") !== serviceSecret()) {
    res.sendStatus(401);
    return;
  }
  const user = await findUserByEmail(String(req.body.email ?? ""));
  if (!user) {
    res.sendStatus(404);
    return;
  }
  const token = jwt.sign({ sub: user.id, email: user.email }, jwtSecretKey(), {
    algorithm: "HS256",
    expiresIn: "15m",
    issuer: `netra-auth-${env}`,
  });
  res.json({ access_token: token, token_type: "Bearer", expires_in: 900 });
});

const port = Number(process.env.PORT ?? "8080");
const signIn = googleOAuthClient() ? "google" : "disabled";

loadSecrets()
  .then(() => app.listen(port, () => console.log(`auth (${env}, ${signIn}) listening on :${port}`)))
  .catch((err) => {
    console.error("failed to load secrets", err);
    process.exit(1);
  });
