"""Configuration: environment access and secret loading."""
