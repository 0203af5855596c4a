"""{% cache_fragment name key... %}...{% endcache_fragment %}: see portal/fragment_cache.py.

A name that resolves to an empty string renders the fragment without the cache: a view that
shows the same markup with a person's posted form in it passes "" for that page."""

from django import template

from portal import fragment_cache

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name, parts, nodelist):
        self.name = name
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context):
        name = self.name.resolve(context)
        if not name:  # an empty name: this page's copy is its own (a posted form's errors)
            return self.nodelist.render(context)
        parts = [part.resolve(context) for part in self.parts]
        return fragment_cache.fragment(
            context.get("request"), name, parts, lambda: self.nodelist.render(context)
        )


@register.tag("cache_fragment")
def cache_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cache_fragment needs a name")
    nodelist = parser.parse(("endcache_fragment",))
    parser.delete_first_token()
    return FragmentNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist
    )
