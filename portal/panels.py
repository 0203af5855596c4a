"""The panels of a signed-in person's home page: what needs them now.

Each app registers its panels in ``<app>/panels.py``. A panel's ``context(request)`` returns
the template context for this person, or ``None`` when the panel is not for them (a member
sees no moderation queue); the panel's template renders its own empty state, saying what to
do first. Panels read through selectors and must not grow queries with rows: the home page's
query count is asserted in tests/portal/test_workplace.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable
    order: int = 100
    # Attention panels make up the "Needs attention" list (the secretariat's work across
    # apps); their context has ``count``, and the page says so when every count is 0.
    attention: bool = False


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    _panels[panel.key] = panel
    return panel


@dataclass(frozen=True)
class Shown:
    panel: Panel
    context: dict
    html: str


def panels_for(request) -> list[Shown]:
    """The panels for this person, in order, each rendered with its own context."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda panel: (panel.order, panel.key)):
        context = panel.context(request)
        if context is not None:
            shown.append(Shown(panel, context, render_to_string(panel.template, context, request)))
    return shown
