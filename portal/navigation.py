"""The portal's navigation, registered by each app and shown by what the views allow.

Each app lists its pages in ``<app>/navigation.py`` with ``register(Link(...))``. Whether a
link is shown is decided by the view's own ``permission_required`` check
(``accounts.permissions.may_open``), so the navigation cannot offer a page that answers 403,
nor hide one the person may use. ``relevant`` narrows a link further for pages every signed-in
person may open but only some have a use for (an editor's own organisations).

Links are either ``main`` (the header: the sections of the portal) or ``tools`` (the
"Your tools" list on a signed-in person's home page, grouped by section).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, resolve, reverse
from django.utils.translation import get_language

from accounts.permissions import may_open

MAIN = "main"
TOOLS = "tools"


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str
    section: str = TOOLS
    group: str = ""
    order: int = 100
    # Namespaces whose pages mark this header link as the current section.
    current_for: tuple[str, ...] = ()
    relevant: Callable | None = field(default=None, compare=False)
    anonymous_only: bool = False

    @property
    def url(self) -> str:
        return _target(self.url_name)[0]

    def shown_to(self, user) -> bool:
        if self.anonymous_only:
            return not user.is_authenticated
        if not may_open(user, _target(self.url_name)[1]):
            return False
        return self.relevant is None or bool(self.relevant(user))


_links: dict[str, Link] = {}
_targets: dict[tuple, tuple] = {}


def _target(url_name: str) -> tuple:
    """The link's address and the view behind it, worked out once per URL configuration (every
    page shows the navigation: reversing and resolving each link on every request cost more
    than the rest of the layout)."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), url_name)
    found = _targets.get(key)
    if found is None:
        url = reverse(url_name)
        found = _targets[key] = (url, resolve(url).func)
    return found


_ordered: dict[str | None, list[Link]] = {}


def register(*links: Link) -> None:
    for link in links:
        _links[f"{link.section}:{link.url_name}"] = link
    _ordered.clear()


def registered() -> list[Link]:
    """Every link in display order (which depends on the language: sorted once per language,
    not on every page)."""
    language = get_language()
    ordered = _ordered.get(language)
    if ordered is None:
        ordered = _ordered[language] = sorted(
            _links.values(), key=lambda link: (link.section, link.order, str(link.label))
        )
    return ordered


def links_for(user, section: str) -> list[Link]:
    return [link for link in registered() if link.section == section and link.shown_to(user)]


def tool_groups_for(user) -> list[tuple[str, list[Link]]]:
    """The tools this person may use, grouped by section in registration order."""
    groups: dict[str, list[Link]] = {}
    for link in links_for(user, TOOLS):
        groups.setdefault(str(link.group), []).append(link)
    return list(groups.items())
