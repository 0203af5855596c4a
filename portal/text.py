"""Text from the public that staff will read.

Bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) turn
the text around them backwards: a suggestion named "abc\u202etxt.exe" reads as something else
in the moderation queue. Nobody needs them to type a name or a sentence (right-to-left
scripts are laid out by the browser without them), so forms shown to staff drop them.
"""

import re

from django import forms

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(value: str) -> str:
    return BIDI_CONTROLS.sub("", value)


def _neutralising(to_python):
    def wrapped(value):
        if isinstance(value, str):
            value = strip_bidi_controls(value)
        return to_python(value)

    return wrapped


class BidiSafeFormMixin:
    """Every text field of the form drops bidi controls before it is cleaned and validated
    (so a value made only of them is empty, and a required field says so)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.to_python = _neutralising(field.to_python)
