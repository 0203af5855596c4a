"""{% layout_part "name" key... %}...{% endlayout_part %}: parts of the layout rendered once.

Every page pays for the layout (base.html): the head's links, the header with the language
switch and the navigation, the footer. Their HTML follows from a few things only: the
language, the URL configuration and prefix, and for the navigation which links this person
may open and which section is current. So each part is rendered once per such key and
kept in the process (on the template's node: a reloaded template starts afresh), and a
page takes it from there; this request's CSP nonce and CSRF tokens are put in as the
fragment cache does (portal/fragment_cache.py).

Whatever a part shows must follow from its key: the language, URL prefix and configuration
are always in it; anything else goes in the tag's arguments (`layout_key` from the portal
context processor for the navigation). Per-request values other than the nonce and the CSRF
token (the language switch's return address, messages) stay outside the parts.
"""

from django import template
from django.conf import settings
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import fragment_cache

register = template.Library()

# Keys per part kept at most: languages x navigation variants x sections is far below this.
MEMO_LIMIT = 512
# Off: every part rendered every time (tests compare both ways).
enabled = True


class LayoutPartNode(template.Node):
    # Not searched for blocks: {% extends %} walks the root template's nodes for its blocks on
    # every render, and the parts hold most of base.html's nodes but never a block (a kept part
    # could not show each page's own; layout_part refuses one when the template is compiled).
    child_nodelists = ()

    def __init__(self, name, parts, nodelist):
        self.name = name
        self.parts = parts
        self.nodelist = nodelist
        self.memo: dict[tuple, str] = {}

    def render(self, context):
        request = context.get("request")
        if not enabled or request is None:
            return self.nodelist.render(context)
        key = (
            get_language(),
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
            *(part.resolve(context) for part in self.parts),
        )
        stored = self.memo.get(key)
        if stored is not None:
            # Our own rendered HTML, with this request's nonce and the page's CSRF token (the
            # one the page's other forms get: one masked token per page, as Django gives).
            return mark_safe(  # noqa: S308
                fragment_cache._fill(request, stored, context.get("csrf_token"))
            )
        html = self.nodelist.render(context)
        if len(self.memo) >= MEMO_LIMIT:
            self.memo.clear()
        self.memo[key] = fragment_cache._blank(request, str(html))
        return html


@register.tag("layout_part")
def layout_part(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("layout_part needs a name")
    nodelist = parser.parse(("endlayout_part",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("layout_part cannot hold a block")
    return LayoutPartNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
