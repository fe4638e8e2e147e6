"""The API's parsers refuse NUL anywhere in a body's text (see portal/core/boundary.py for why) and a
JSON body that nests too deep to read; a file's bytes are not text and are left alone."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

from portal.core.boundary import BadJSON, has_nul, load_json, nul_field, nul_message


def _first_nul_key(data) -> str | None:
    if isinstance(data, dict):
        for key, value in data.items():
            if has_nul(key) or has_nul(value):
                return str(key).replace("\x00", "\\0")
        return None
    return "请求体" if has_nul(data) else None


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            # NaN and Infinity are no JSON numbers (strict_constant refuses them, as DRF's own parser does).
            data = load_json(
                stream.read() if stream is not None else b"", what="请求体", parse_constant=strict_constant
            )
        except (BadJSON, ValueError) as refusal:
            raise ParseError(str(refusal))
        if has_nul(data):
            raise ParseError(nul_message(_first_nul_key(data)))
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        field = nul_field(data)
        if field is not None:
            raise ParseError(nul_message(field))
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        field = nul_field(result.data)
        if field is not None:
            raise ParseError(nul_message(field))
        return result
