"""The CAMEO event code table: names, Goldstein weights, quad classes and PLOVER types.

The table itself lives in ``data/cameo_codes.tsv`` so that it can be read and checked
without reading Python. It holds every code of the CAMEO 1.1b3 codebook: the 20 roots
("01" .. "20"), their three-digit codes and their four-digit sub-codes, with

- ``name``: the codebook's short name (without "not specified below");
- ``goldstein``: the conflict/cooperation weight GDELT publishes for the code, so that
  tidings' scores can be compared with GDELT's;
- ``quad_class``: 1 verbal cooperation (roots 01-05), 2 material cooperation (06-08),
  3 verbal conflict (09-13), 4 material conflict (14-20);
- ``plover_type`` / ``plover_mode``: the event type and mode from the published
  CAMEO-to-PLOVER conversion table (draft 0.8, 2021). That table calls the demand
  type DEMAND; it is written REQUEST here, the name PLOVER and POLECAT now use. Codes
  the conversion drops (statements 01x and appeals 02x) have no PLOVER type.

The coder, the exports and the API all look codes up here, so a code means the same
thing everywhere.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from tidings.errors import TidingsError
from tidings.palette import QUAD_NAMES

__all__ = [
    "QUAD_CLASS_NAMES",
    "CameoCode",
    "UnknownCameoCode",
    "all_codes",
    "lookup",
    "root_name",
]

#: the quad classes' names, from :mod:`tidings.palette` (one source for names and colours)
QUAD_CLASS_NAMES: dict[int, str] = QUAD_NAMES

_TABLE = "cameo_codes.tsv"
_COLUMNS = ["code", "name", "goldstein", "quad_class", "plover_type", "plover_mode"]


class UnknownCameoCode(TidingsError, KeyError):
    """A code that is not in the CAMEO table (also a KeyError, for dict-like callers)."""

    def __init__(self, code: object) -> None:
        self.code = code
        super().__init__(f"unknown CAMEO event code {code!r} (not in {_TABLE})")

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return self.args[0]


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One row of the CAMEO table; ``root`` is the two-digit root ("04" for "042")."""

    code: str
    name: str
    root: str
    goldstein: float
    quad_class: int
    plover_type: str | None
    plover_mode: str | None


def _quad_for_root(root: str) -> int:
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


def _parse(text: str, where: str) -> dict[str, CameoCode]:
    """Parse the TSV, refusing rows that would give a code two meanings."""
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header != _COLUMNS:
        expected = "\t".join(_COLUMNS)
        raise TidingsError(f"{where}: header must be {expected!r}, got {header!r}")
    table: dict[str, CameoCode] = {}
    for lineno, row in enumerate(reader, start=2):
        if not row or row[0].startswith("#"):
            continue
        if len(row) != len(_COLUMNS):
            raise TidingsError(f"{where}:{lineno}: expected 6 columns, got {len(row)}")
        code, name, goldstein, quad, ptype, pmode = (cell.strip() for cell in row)
        if not (code.isdigit() and 2 <= len(code) <= 4 and 1 <= int(code[:2]) <= 20):
            raise TidingsError(f"{where}:{lineno}: bad CAMEO code {code!r}")
        if code in table:
            raise TidingsError(f"{where}:{lineno}: duplicate CAMEO code {code!r}")
        try:
            weight = float(goldstein)
            quad_class = int(quad)
        except ValueError as exc:
            raise TidingsError(f"{where}:{lineno}: {exc}") from None
        if quad_class != _quad_for_root(code[:2]):
            raise TidingsError(f"{where}:{lineno}: quad_class {quad_class} wrong for {code}")
        table[code] = CameoCode(
            code=code,
            name=name,
            root=code[:2],
            goldstein=weight,
            quad_class=quad_class,
            plover_type=ptype or None,
            plover_mode=pmode or None,
        )
    return table


@cache
def _table() -> dict[str, CameoCode]:
    text = files("tidings").joinpath("data", _TABLE).read_text(encoding="utf-8")
    return _parse(text, _TABLE)


def lookup(code: str) -> CameoCode:
    """Return the row for ``code`` ("042", "0871", or a root such as "04").

    Raises UnknownCameoCode (a TidingsError) rather than returning a guess, because a
    silently wrong code would spread into every score computed from it.
    """
    try:
        return _table()[code.strip()]
    except (KeyError, AttributeError):
        raise UnknownCameoCode(code) from None


def all_codes() -> list[CameoCode]:
    """Every code in table order (roots before their sub-codes)."""
    return list(_table().values())


def root_name(root: str) -> str:
    """The name of a root ("19" -> "Fight"); accepts any code and uses its first two digits."""
    if not isinstance(root, str) or len(root.strip()) < 2:
        raise UnknownCameoCode(root)
    return lookup(root.strip()[:2]).name
