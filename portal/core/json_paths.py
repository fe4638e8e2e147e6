"""Reading a few keys out of a large JSON column in one pass per row."""
from __future__ import annotations

import json

from django.db.models import F, Func, JSONField


class JSONPick(Func):
    """The values at several paths of a JSON column as one JSON array, in the order given.

    Django's key transforms cost one parse of the whole document per key on SQLite (three, with the
    type checks it adds); SQLite's JSON_EXTRACT with several paths parses once and returns the array.
    PostgreSQL reads its binary jsonb directly, so building the array there is cheap anyway."""

    output_field = JSONField()

    def __init__(self, column: str, paths: list[tuple[str, ...]]):
        if len(paths) < 2:
            # JSON_EXTRACT with one path returns the bare value, not an array of one.
            raise ValueError("JSONPick needs at least two paths")
        self.paths = paths
        super().__init__(F(column))

    def _column(self, compiler, connection):
        return compiler.compile(self.get_source_expressions()[0])

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = self._column(compiler, connection)
        # Keys quoted as json.dumps writes them (non-ASCII escaped), the way Django stores the column.
        paths = ["$" + "".join(f".{json.dumps(key)}" for key in path) for path in self.paths]
        return f"JSON_EXTRACT({sql}, {', '.join(['%s'] * len(paths))})", (*params, *paths)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = self._column(compiler, connection)
        parts, all_params = [], []
        for path in self.paths:
            parts.append(f"({sql} #> %s)")
            all_params += [*params, list(path)]
        return f"JSONB_BUILD_ARRAY({', '.join(parts)})", tuple(all_params)
