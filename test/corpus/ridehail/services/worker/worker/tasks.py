from worker.app import app
from worker.db import conn
from worker.routing import optimise


@app.task
def rebalance(zone_id: str) -> int:
    with conn().cursor() as cur:
        cur.execute("SELECT id, lat, lng FROM drivers WHERE zone_id = %s AND idle", (zone_id,))
        rows = cur.fetchall()
    order = optimise([{"id": r[0], "lat": r[1], "lng": r[2]} for r in rows])
    return len(order)
