"""Drains one batch of the job queue, then exits (scheduled Cloud Run job)."""
from __future__ import annotations

import json
import logging
import os

import psycopg2
import psycopg2.extras
import requests

from worker.secrets import get_secret

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
logger = logging.getLogger("netra.worker")

CLAIM_BATCH = """
    SELECT id, kind, payload FROM job_queue
    WHERE queue = %s AND status = 'pending'
    ORDER BY created_at
    LIMIT %s
    FOR UPDATE SKIP LOCKED
"""


def handle(kind: str, payload: dict) -> None:
    logger.info("processing %s job (%d bytes)", kind, len(json.dumps(payload)))


def run() -> int:
    queue = os.environ["QUEUE_NAME"]
    batch_size = int(os.environ.get("BATCH_SIZE", "100"))
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    done = 0
    try:
        with conn, conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(CLAIM_BATCH, (queue, batch_size))
            for job in cur.fetchall():
                handle(job["kind"], job["payload"])
                cur.execute("UPDATE job_queue SET status = 'done', finished_at = now() WHERE id = %s", (job["id"],))
                done += 1
    finally:
        conn.close()
    logger.info("queue %s: %d jobs done", queue, done)
    return done


if __name__ == "__main__":
    try:
        run()
    except Exception as exc:
        webhook = get_secret("worker-alert-webhook", "ALERT_WEBHOOK_URL")
        if webhook:
            requests.post(webhook, json={"text": f"worker failed: {exc!r}"}, timeout=5)
        raise
