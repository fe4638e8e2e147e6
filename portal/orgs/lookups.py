"""`path__under=prefix`: the rows whose materialised path starts with `prefix`, the scope rule of every
selector. It is `startswith` made index-friendly on both databases:

- PostgreSQL answers `LIKE 'prefix%'` from the `varchar_pattern_ops` index on the path.
- SQLite's LIKE is case-insensitive, so no plain index serves it and a city's queue scanned every
  application at its stage (12 ms at 20,000). There the same rows are the byte range
  [prefix, prefix with its last character incremented), which the path index answers; under
  SQLite's BINARY collation the two are the same set, and the range is exact where LIKE would also
  match a path differing only in letter case.
- SQLite keeps no statistics of a range (Python's build has no STAT4), so it always takes the path
  index first: right for a city or a county, whose branch holds a tenth of a province or less;
  wrong for the ministry's or a province's own scope, which holds (nearly) every row of its
  deployment: walking 20,000 schools to reach their applications and then sorting them all cost
  the province's list 22 ms, against 4 ms when the applications are walked in the list's own index
  order. So a prefix of one or two levels (/MOE/, /MOE/450000/) is compared with the index switched
  off (SQLite's unary +), and the planner walks the other table."""

from django.db.models import CharField, Lookup

WIDE_LEVELS = 2  # /MOE/ and /MOE/<province>/: scopes that hold (nearly) everything


class Under(Lookup):
    lookup_name = "under"
    prepare_rhs = False

    def _prefix(self) -> str:
        if not isinstance(self.rhs, str) or not self.rhs:
            raise ValueError("path__under takes a non-empty path prefix")
        return self.rhs

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        pattern = connection.ops.prep_for_like_query(self._prefix()) + "%"
        return f"{lhs} LIKE %s", [*params, pattern]

    def as_sqlite(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        prefix = self._prefix()
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        column = f"+{lhs}" if prefix.strip("/").count("/") < WIDE_LEVELS else lhs
        return f"({column} >= %s AND {column} < %s)", [*params, prefix, upper]


class Within(Under):
    """The rows of `under`, with the path's index left out of the plan on SQLite (unary +), for a query
    that another index should drive: a queue read in its own order (status, stage, stage_since) stops
    after a page of rows, where the path range read a city's 2,173 waiting applications and sorted
    them (4–7 ms at 20,000). The rows are the same set as `under`; only the plan differs. PostgreSQL
    plans from its statistics, so it gets the same condition as `under`."""

    lookup_name = "within"

    def as_sqlite(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        prefix = self._prefix()
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return f"(+{lhs} >= %s AND +{lhs} < %s)", [*params, prefix, upper]


CharField.register_lookup(Under)
CharField.register_lookup(Within)
