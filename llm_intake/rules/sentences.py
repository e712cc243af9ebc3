"""Sentence splitting: at ``. ! ? ;`` and newlines, not after titles or initials."""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "sr",
    "st",
    "no",
    "approx",
    "e.g",
    "i.e",
    "vs",
    "etc",
}
_MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct"}
_MONTH_ABBREVIATIONS |= {"nov", "dec"}
_ABBREVIATIONS |= _MONTH_ABBREVIATIONS


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: split at ``. ! ? ;`` and newlines, not after titles or initials."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?;]+(?=\s|$)|\n+", text):
        word = re.search(r"([A-Za-z.]+)$", text[start : m.start()])
        if m.group(0) == "." and word:
            w = word.group(1).lower().rstrip(".")
            digit_next = bool(re.match(r"\s*\d", text[m.end() :]))
            if w in _MONTH_ABBREVIATIONS and not digit_next:
                pass  # "… 14-20 Dec. Sam wants …" ends a sentence; "Dec. 3" does not
            elif w in _ABBREVIATIONS or len(w) == 1:
                continue
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans
