"""Geocoding and ETA lookups via the maps provider."""
import os

import httpx

MAPS_BASE_URL = os.environ.get("MAPS_BASE_URL", "https://maps.googleapis.com/maps/api")


class MapsClient:
    def __init__(self) -> None:
        self._key = os.environ["MAPS_API_KEY"]
        self._http = httpx.AsyncClient(base_url=MAPS_BASE_URL, timeout=5.0)

    async def eta_seconds(self, origin: tuple[float, float], dest: tuple[float, float]) -> int:
        r = await self._http.get(
            "/distancematrix/json",
            params={"origins": f"{origin[0]},{origin[1]}", "destinations": f"{dest[0]},{dest[1]}", "key": self._key},
        )
        r.raise_for_status()
        return r.json()["rows"][0]["elements"][0]["duration"]["value"]
