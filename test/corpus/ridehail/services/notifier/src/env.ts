const {
  SENDGRID_API_KEY,
  FROM_EMAIL = "no-reply@ridehail.example",
  PUSH_ENABLED = "true",
  FCM_PROJECT = "",
} = process.env;

if (!SENDGRID_API_KEY) {
  throw new Error("SENDGRID_API_KEY is required");
}

export const env = {
  sendgridApiKey: SENDGRID_API_KEY,
  fromEmail: FROM_EMAIL,
  pushEnabled: PUSH_ENABLED === "true",
  fcmProject: FCM_PROJECT,
  port: Number(process.env["PORT"] ?? 8080),
};
