"""How officials count characters, in one place (the browser counter does the same in JS)."""

import unicodedata


def count_chars(text: str | None) -> int:
    """Every character counts once — Chinese, Latin letter, digit, punctuation, space — except
    line breaks, which are layout, not text. Counted in code points, so a rare character outside
    the Basic Multilingual Plane (𠀀) is one character, as on paper."""
    if not text:
        return 0
    text = unicodedata.normalize("NFC", text)
    return sum(1 for ch in text if ch not in "\r\n")
