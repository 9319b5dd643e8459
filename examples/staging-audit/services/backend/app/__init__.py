"""Netra backend API."""
