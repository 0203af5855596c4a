"""Path converters for URL parts that take one of a fixed set of words.

``choices_converter("meeting_part", ["preparing", "running", "closing"])`` registers
``<meeting_part:section>``: any other word is not a match (a 404 before the view runs), and
tools that walk every route (the HTML and accessibility walks) read ``choices`` to visit
each part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.urls import register_converter
from django.urls.converters import get_converters


class ChoicesConverter:
    choices: tuple[str, ...] = ()
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def choices_converter(name: str, choices: Iterable[str]) -> type[ChoicesConverter]:
    """Register (once) and return the converter ``name`` for exactly these words."""
    choices = tuple(choices)
    existing = get_converters().get(name)
    if existing is not None:
        if getattr(existing, "choices", None) != choices:
            raise ValueError(f"Path converter {name!r} is already registered otherwise.")
        return type(existing)
    converter = type(
        f"{name.title().replace('_', '')}Converter",
        (ChoicesConverter,),
        {"choices": choices, "regex": "|".join(re.escape(choice) for choice in choices)},
    )
    register_converter(converter, name)
    return converter
