"""Models of the field-encryption layer."""
