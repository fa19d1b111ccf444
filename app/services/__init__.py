"""Use cases: the only door into the data. One function per user action."""
