import math
import os.path


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def trip_fixture_path(name: str) -> str:
    return os.path.join(os.path.dirname(__file__), "fixtures", "trip", name)


def round_fare_3(amount: float, step: float = 0.05) -> float:
    return round(round(amount / step) * step, 2)
