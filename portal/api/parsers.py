"""The API's parsers refuse NUL anywhere in a body's text (see portal/core/boundary.py for why);
a file's bytes are not text and are left alone."""
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from portal.core.boundary import has_nul, nul_field, nul_message


def _first_nul_key(data) -> str | None:
    if isinstance(data, dict):
        for key, value in data.items():
            if has_nul(key) or has_nul(value):
                return str(key).replace("\x00", "\\0")
        return None
    return "请求体" if has_nul(data) else None


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
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
