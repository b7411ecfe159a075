"""The import side of the formula-injection guard.

Exports use `core.spreadsheets.safe_cell`: a text cell that begins with = + - @, a tab or a
carriage return is written with a leading apostrophe, which spreadsheet programs show as
text. The import takes that apostrophe off again, so export → import gives back the same
text.
"""

from clusterbridge.core.spreadsheets import FORMULA_STARTS


def unguard_cell(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
