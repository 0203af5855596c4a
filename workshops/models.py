"""Models of the workshops app: filled by its own issue."""
