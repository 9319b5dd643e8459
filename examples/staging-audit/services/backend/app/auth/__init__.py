"""Authentication: Google sign-in."""
