"""Offsets between Python code points and the UTF-16 units JavaScript tools may report."""

from __future__ import annotations


def utf16_to_codepoint(text: str, offset: int) -> int | None:
    """The code-point offset of a UTF-16 offset, or None when it falls inside a surrogate pair."""
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            return None
    return len(text) if units == offset else None


def resolve_span(text: str, start: int, end: int, surface: str | None) -> tuple[int, int] | None:
    """Code-point offsets of a span given by a tool: as given when they match its text (or no text
    is given), else read as UTF-16 offsets; None when neither reading matches."""
    if 0 <= start < end <= len(text) and (surface is None or text[start:end] == surface):
        return start, end
    cp_start, cp_end = utf16_to_codepoint(text, start), utf16_to_codepoint(text, end)
    if cp_start is not None and cp_end is not None and cp_start < cp_end:
        if surface is None or text[cp_start:cp_end] == surface:
            return cp_start, cp_end
    return None
