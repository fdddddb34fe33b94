"""Reading a small user-uploaded CSV into (x, y), with errors naming the line and column."""

import csv
import io

import numpy as np

from ..core.errors import SpecError

MAX_ROWS = 10_000
MAX_COLUMNS = 64


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def parse_csv(text, target="last"):
    """{'x', 'y', 'columns'}: every column but the target is an input; y is (n, 1).

    A first row that is not all numbers is taken as the header. `target` is "last",
    "first" or a header name.
    """
    if not text or not text.strip():
        raise SpecError(("csv",), "the file is empty")
    reader = csv.reader(io.StringIO(text))
    numbered = [(reader.line_num, r) for r in reader if any(cell.strip() for cell in r)]
    header = None
    if not all(_is_number(cell) for cell in numbered[0][1]):
        header, numbered = [c.strip() for c in numbered[0][1]], numbered[1:]
    rows = [r for _, r in numbered]
    if not rows:
        raise SpecError(("csv",), "no data rows after the header")
    if len(rows) > MAX_ROWS:
        raise SpecError(("csv",), f"{len(rows)} rows exceed the limit of {MAX_ROWS}")
    width = len(header) if header else len(rows[0])
    if width < 2 or width > MAX_COLUMNS:
        raise SpecError(("csv",), f"needs 2 to {MAX_COLUMNS} columns (inputs and a target), "
                                  f"found {width}")
    data = np.empty((len(rows), width))
    for i, (line, row) in enumerate(numbered):
        if len(row) != width:
            raise SpecError(("csv",), f"line {line}: expected {width} columns, found {len(row)}")
        for j, cell in enumerate(row):
            try:
                value = float(cell)
            except ValueError:
                raise SpecError(("csv",), f"line {line}, column {j + 1}"
                                          + (f" ({header[j]})" if header else "")
                                          + f": {cell.strip()!r} is not a number") from None
            if not np.isfinite(value):
                raise SpecError(("csv",), f"line {line}, column {j + 1}: {cell.strip()!r} "
                                          "is not a finite number")
            data[i, j] = value
    columns = header or [f"c{j + 1}" for j in range(width)]
    t = _target_index(target, columns)
    x = np.delete(data, t, axis=1)
    return {"x": x, "y": data[:, t:t + 1], "columns": columns, "target": columns[t],
            "inputs": [c for j, c in enumerate(columns) if j != t]}


def _target_index(target, columns):
    if target == "last":
        return len(columns) - 1
    if target == "first":
        return 0
    if target in columns:
        return columns.index(target)
    raise SpecError(("target",), f"unknown target column {target!r}; columns: " + ", ".join(columns))
