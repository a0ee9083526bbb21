"""Errors with a meaning for the person or the operator."""


class UserError(Exception):
    """A mistake by the person: shown to them privately, in their words, and nothing changes."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class ConfigError(Exception):
    """The configuration is broken; ``problems`` lists each one with its key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class DatabaseTooNew(Exception):
    """The database was migrated by a newer Hearth than this one."""


class PlatformError(Exception):
    """A platform refused an action. ``fix`` tells moderators what to change, if they can."""

    def __init__(self, text: str, *, fix: str | None = None, status: int | None = None) -> None:
        super().__init__(text)
        self.fix = fix
        self.status = status

    @property
    def transient(self) -> bool:
        """No answer, a rate limit or a server error: it may pass on its own, and it is the
        operator's to watch (in the log), not the moderators' to fix."""
        return self.status is None or self.status == 429 or self.status >= 500
