"""The API's JSON parser (the default parser of every view, see settings.REST_FRAMEWORK): DRF's,
with a ceiling on nesting. Apart from `core.api` because DRF reads its parser setting while
its views module loads, which `core.api` imports."""

import json
import re

from rest_framework import exceptions, parsers

# JSON bodies: no request of this API nests deeper than a few levels; a body nested thousands
# of levels deep is refused (400) before the parser recurses into it.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings
    do not count)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a ceiling on nesting (MAX_JSON_DEPTH): too deep is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        if json_depth(text) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                f"JSON parse error - the body nests deeper than {MAX_JSON_DEPTH} levels."
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")
