"""Reading ahead: a generator of database pages run in a thread of its own, one or two pages ahead of
the consumer. A large export spends its time in two places — waiting for the database and writing
the file — and the driver releases the interpreter lock while it waits, so the next page is read
while this one is written.

The reading thread has its own database connection, which sees only committed rows. Inside a
transaction (a request's atomic block, a test's) the pages are read in line instead, so the export
always sees what its caller sees."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.db import connection, connections

T = TypeVar("T")
_DONE = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(pages: Iterable[T], *, depth: int = 2) -> Iterator[T]:
    """Yields what `pages` yields, in order, reading up to `depth` items ahead in another thread.
    `pages` must be lazy (a generator or a queryset not yet evaluated): it runs in that thread."""
    if connection.in_atomic_block:
        yield from pages
        return
    ahead: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in pages:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as error:  # handed to the consumer, raised there
            put(_Failed(error))
        finally:
            connections.close_all()  # this thread's own connections only

    reader = threading.Thread(target=work, name="read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            item = ahead.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()  # a consumer that stops early (an error while writing) ends the reader
        reader.join()
