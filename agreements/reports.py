"""The agreement follow-up report: filled in once the context builder exists."""
