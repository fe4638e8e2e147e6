"""The refusals every service may raise, and the pages, forms and API turn into messages: the
kernel's, so that no app reaches into another to refuse."""


class ServiceError(Exception):
    """A refusal with a message the user can read as is."""

    def __init__(self, message: str, *, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    def to_form(self, form) -> None:
        """Puts the refusal on a Django form: each message at its field, the rest at the top."""
        for name, messages in (self.errors or {"__all__": [self.message]}).items():
            form.add_error(name if name in form.fields else None, messages)


class Conflict(ServiceError):
    """The draft changed since the client loaded it (someone else saved)."""

    def __init__(self, message: str, *, current_version: int, updated_by: str, updated_at):
        super().__init__(message)
        self.current_version = current_version
        self.updated_by = updated_by
        self.updated_at = updated_at
