"""The one error the engine raises for bad specs and bad data.

`loc` is the path of the offending field inside the request body (as a tuple, like
pydantic's), so the web layer can answer 422 naming exactly that field.
"""


class SpecError(ValueError):
    """A network spec, parameter or input array that the engine refuses."""

    def __init__(self, loc, message):
        self.loc = tuple(loc)
        self.message = message
        super().__init__(f"{'.'.join(str(p) for p in self.loc)}: {message}")


class LimitError(SpecError):
    """Work beyond a configured limit (answered with 413 or 422 naming the limit)."""

    def __init__(self, loc, message, limit_name):
        self.limit_name = limit_name
        super().__init__(loc, message)
