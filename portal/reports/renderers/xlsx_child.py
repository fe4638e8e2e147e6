"""The child process of streamed.py: reads a sheet's description and batches of plain rows from its
standard input, writes the workbook to the path it is given.

It loads excel.py by its file path, not through the `portal` package, whose import starts Celery and
would add half a second to every large export."""

import importlib.util
import os
import pickle
import sys
import tracemalloc

TRACE_ENV = "PORTAL_EXCEL_TRACE"


def _excel():
    location = os.path.join(os.path.dirname(os.path.abspath(__file__)), "excel.py")
    spec = importlib.util.spec_from_file_location("_portal_excel", location)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(path: str) -> None:
    excel = _excel()
    if os.environ.get(TRACE_ENV):  # the writing traced, not the imports
        tracemalloc.start()
    source = sys.stdin.buffer
    description = pickle.load(source)
    with open(path, "wb") as out:
        writer = excel.SpecWriter(description, out)
        while (batch := pickle.load(source)) is not None:
            for values in batch:
                writer.append(values)
        writer.close()
    if os.environ.get(TRACE_ENV):
        print(f"peak={tracemalloc.get_traced_memory()[1]}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
