"""Runtime settings for the rider/driver API.

Values come from the process environment (Cloud Run) or a local .env in development.
"""
import environ

env = environ.Env(
    DEBUG=(bool, False),
)

ENVIRONMENT = env("ENVIRONMENT", default="development")
DEBUG = env.bool("DEBUG", default=False)
LOG_LEVEL = env.str("LOG_LEVEL", default="info")

# Database and cache
DATABASE_URL = env.str("DATABASE_URL")
REDIS_URL = env("REDIS_URL", default="redis://localhost:6379/0")
DB_POOL_SIZE = env.int("DB_POOL_SIZE", default=5)

# Auth
JWT_SECRET = env.str("JWT_SECRET")
JWT_TTL_SECONDS = env.int("JWT_TTL_SECONDS", default=3600)

# Feature flags
SURGE_PRICING_ENABLED = env.bool("SURGE_PRICING_ENABLED", default=True)
PRICING_URL = env("PRICING_URL", default="http://pricing.internal")
