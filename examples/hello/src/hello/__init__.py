"""A tiny service used to show pexpress end to end."""
