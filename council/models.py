"""Models of the council app: filled by its own issue."""
