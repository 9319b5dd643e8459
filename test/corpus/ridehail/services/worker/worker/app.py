import os

from celery import Celery

app = Celery(
    "worker",
    broker=os.environ["CELERY_BROKER_URL"],
    backend=os.environ.get("CELERY_RESULT_BACKEND"),
)
app.conf.task_default_queue = os.getenv("CELERY_QUEUE", "default")
app.autodiscover_tasks(["worker"])
