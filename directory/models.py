"""Models of the directory app: filled by its own issue."""
