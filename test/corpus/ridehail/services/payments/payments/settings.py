from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: str = "development"
    database_url: str
    stripe_secret_key: SecretStr
    stripe_webhook_secret: SecretStr = Field(alias="STRIPE_WEBHOOK_SIGNING_SECRET")
    jwt_secret: SecretStr
    currency: str = "eur"


settings = Settings()
