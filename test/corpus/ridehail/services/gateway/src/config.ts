import { z } from "zod";

/** Parsed once at startup: a missing required variable crashes the container before it serves. */
export const config = {
  nodeEnv: z.enum(["development", "test", "production"]).default("development").parse(process.env.NODE_ENV),
  port: z.coerce.number().default(3000).parse(process.env.PORT),
  databaseUrl: z.string().url().parse(process.env.DATABASE_URL),
  jwtSecret: z.string().min(32).parse(process.env.JWT_SECRET),
  upstreamApiUrl: z.string().url().parse(process.env.UPSTREAM_API_URL),
  redisUrl: process.env.REDIS_URL ?? "redis://localhost:6379",
  rateLimitPerMinute: z.coerce.number().default(120).parse(process.env.RATE_LIMIT_PER_MIN),
  logLevel: process.env.LOG_LEVEL || "info",
};
