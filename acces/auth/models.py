"""Models of authentication (API tokens, login throttling...)."""
