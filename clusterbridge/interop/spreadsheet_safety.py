"""Formula-injection guard for exported spreadsheets (CSV and XLSX).

A text cell that begins with = + - @, a tab or a carriage return can be run as a formula by
a spreadsheet program; such cells are written with a leading apostrophe, which spreadsheet
programs show as text. The import takes the apostrophe off again, so export → import gives
back the same text.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unguard_cell(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
