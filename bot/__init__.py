"""Hearth's platform-neutral core: events, commands, messages, clock, jobs and storage."""
