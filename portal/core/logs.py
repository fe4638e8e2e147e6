"""Logging filters."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 403 or 404 is the client's mistake, not the server's: Django logs it with the exception
    attached, which prints a traceback to the console for every refused request. Keep the one-line
    warning and drop the traceback; 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
