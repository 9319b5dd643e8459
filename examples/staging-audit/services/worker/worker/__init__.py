"""Netra background worker (Cloud Run job)."""
