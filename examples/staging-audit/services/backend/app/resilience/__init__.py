"""Circuit breakers and health reporting for outbound dependencies."""
