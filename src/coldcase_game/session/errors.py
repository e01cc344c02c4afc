"""The one exception the save code raises for bad input and I/O failures."""


class SaveError(Exception):
    """A refusal or failure, with a one-line message for the player (plain text, never markup)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = " ".join(message.split())  # always one line, whatever was interpolated
