"""The one CSV writer and the one formula-escaping rule, for every CSV and TSV output.

A spreadsheet runs a cell as a formula when its text starts with ``= + - @`` (or a tab
or carriage return that hides one, or the full-width forms ``＝ ＋ － ＠`` that some
spreadsheets fold to ASCII). Article text is written by strangers, so such a text cell
gets a leading ``'``. Numbers are left alone: Goldstein -2 is a number, not a formula.

The style, everywhere (``events``, ``docs``, ``export``, the API's ``/export``): a
header row, text quoted (so codes such as CAMEO ``"030"`` are quoted strings),
numbers bare, booleans ``true``/``false``, dates ISO, missing values empty. pandas
still guesses types from the text, so read codes with ``dtype={"cameo": str}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

__all__ = ["FORMULA_START", "defuse", "defuse_table", "write_csv"]

#: first characters that make a spreadsheet evaluate a cell
FORMULA_START = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
_RISKY = "^[" + "".join("\\-" if c == "-" else c for c in FORMULA_START) + "]"


def defuse(value: Any) -> Any:
    """A text cell safe to open in a spreadsheet: a formula start gets a leading ``'``.

    Anything that is not a string (numbers, dates, None) comes back unchanged.
    """
    if isinstance(value, str) and value and value[0] in FORMULA_START:
        return "'" + value
    return value


def _defuse_column(col: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return col
    risky = pc.fill_null(pc.match_substring_regex(col, _RISKY), False)
    return pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col)


def defuse_table(data: pa.RecordBatch | pa.Table) -> pa.Table:
    """:func:`defuse` applied to every text column of an Arrow table, column at a time."""
    table = pa.Table.from_batches([data]) if isinstance(data, pa.RecordBatch) else data
    return pa.table(
        {name: _defuse_column(table[name]) for name in table.column_names},
        schema=table.schema,
    )


def _writable(table: pa.Table) -> pa.Table:
    """Columns Arrow's CSV writer cannot write (lists, structs) as JSON text."""
    import json

    for i, field in enumerate(table.schema):
        if pa.types.is_nested(field.type):
            values = [None if v is None else json.dumps(v) for v in table[i].to_pylist()]
            column = pa.array(values, type=pa.string())
            table = table.set_column(i, pa.field(field.name, pa.string()), column)
    return table


def write_csv(
    data: pa.Table | Iterable[pa.RecordBatch | pa.Table],
    sink: str | Path | IO[bytes],
    schema: pa.Schema | None = None,
) -> int:
    """Write a table (or a stream of batches of ``schema``) as defused CSV; the row count.

    ``sink`` is a path or a binary file object (``sys.stdout.buffer``). The header is
    written even when there are no rows.
    """
    if isinstance(data, pa.Table):
        schema = schema or data.schema
        data = [data]
    if schema is None:
        raise ValueError("write_csv needs the schema of a stream of batches")
    target = str(sink) if isinstance(sink, Path) else sink
    out_schema = _writable(schema.empty_table()).schema
    rows = 0
    with pacsv.CSVWriter(target, out_schema) as writer:
        for part in data:
            table = pa.Table.from_batches([part]) if isinstance(part, pa.RecordBatch) else part
            writer.write_table(defuse_table(_writable(table.cast(schema))))
            rows += table.num_rows
        if rows == 0:  # CSVWriter writes the header lazily, with the first table
            writer.write_table(out_schema.empty_table())
    return rows
