import os
from pathlib import Path

import dj_database_url

from dispatch import config

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")
ENVIRONMENT = os.environ.get("ENVIRONMENT", "development")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "social_django",
    "trips",
    "accounts",
]

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}

# Google sign-in for dispatchers (social-auth)
SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = os.environ["GOOGLE_CLIENT_ID"]
SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = os.environ["GOOGLE_CLIENT_SECRET"]

CELERY_BROKER_URL = config.get_env("CELERY_BROKER_URL", "redis://localhost:6379/1")
API_BASE_URL = config.get_env("API_BASE_URL")

ROOT_URLCONF = "dispatch.urls"
WSGI_APPLICATION = "dispatch.wsgi.application"
USE_TZ = True
TIME_ZONE = "UTC"
