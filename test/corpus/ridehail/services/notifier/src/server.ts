import express from "express";
import sgMail from "@sendgrid/mail";
import { env } from "./env";

sgMail.setApiKey(env.sendgridApiKey);
const app = express();
app.use(express.json());

app.post("/notify/email", async (req, res) => {
  await sgMail.send({ to: req.body.to, from: env.fromEmail, subject: req.body.subject, text: req.body.text });
  res.status(202).end();
});

app.listen(env.port);
