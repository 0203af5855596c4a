"""Models of the agreements app: filled by its own issue."""
