"""Errors of the grading services, shared by the services, selectors and CLI."""


class GradingInputError(ValueError):
    """Input the grading services cannot use; `errors` lists (field path, message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__(
            "; ".join(f"{path}: {message}" for path, message in self.errors)
        )
