"""Report kinds: a domain app registers what to render; this app renders every kind the same way.

A kind is a template and a function that builds its context from the job. The `reports` app
imports no domain app: they come to it, in their own reports.py, through `register()`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class ReportKind:
    code: str
    label: str | Promise
    template: str
    build_context: Callable[[Any], dict]
    # Who may request it; object-level checks belong in build_context's caller (the view).
    permission: str = "reports.add_reportjob"
    description: str | Promise = ""
    needs_subject: bool = False
    extra: dict = field(default_factory=dict)
    # Optional: the job's title for a subject (called in the job's language), e.g. with the
    # agreement's name; and the file name's stem for a job ("uppfoljning-lund").
    title_for: Callable[[str], str] | None = None
    file_stem: Callable[[Any], str] | None = None


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    if kind.code in _KINDS and _KINDS[kind.code] is not kind:
        raise ValueError(f"Report kind {kind.code!r} is registered twice.")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> ReportKind | None:
    return _KINDS.get(code)


def all_kinds() -> list[ReportKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.code)
