"""The council-year report: filled in below once the context builder exists."""
