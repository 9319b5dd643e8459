"""Route optimisation for batched pickups (calls the external routing provider)."""
import os

import requests

ROUTING_URL = os.getenv("ROUTING_URL", "https://routes.example-provider.com/v2/optimize")


def optimise(stops: list[dict]) -> list[int]:
    token = os.environ["ROUTING_API_KEY"]
    r = requests.post(ROUTING_URL, json={"stops": stops}, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    r.raise_for_status()
    return r.json()["order"]
