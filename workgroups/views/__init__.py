"""Workspace views, by subject; thin: reads through selectors, writes
through services."""
