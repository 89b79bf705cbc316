"""Live discussion of the working groups: rooms, topics, messages, the
per-process hub that fans events out to WebSockets, and its views."""
