import os

from fastapi import FastAPI

STRIPE_API_KEY = os.environ["STRIPE_API_KEY"]
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
SESSION_SECRET = os.environ["SESSION_SECRET"]

app = FastAPI()


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
