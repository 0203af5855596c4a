"""Read the forms of a page as a browser would submit them (no JavaScript, no changes).

The standard library's HTML parser is enough for the portal's own markup: each `<form>` with
its method, action and the successful controls (checked boxes and radios, selected options,
textareas, the first named submit button).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class HtmlForm:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    has_submit: bool = False

    def data(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        return values

    def names(self) -> set[str]:
        return {name for name, _value in self.fields}


class _Select:
    def __init__(self, name: str, multiple: bool):
        self.name, self.multiple = name, multiple
        self.options: list[tuple[str, bool]] = []
        self.option_value: str | None = None
        self.option_selected = False
        self.option_text: list[str] = []


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.select: _Select | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.in_option = False

    def handle_starttag(self, tag, attrs):
        a = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            action = a.get("action") or self.page_url
            self.form = HtmlForm(
                method=(a.get("method") or "get").lower(),
                action=urlsplit(urljoin(self.page_url, action)).path,
            )
            self.forms.append(self.form)
            return
        if self.form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "image"}:
                if name and not self.form.has_submit:
                    self.form.fields.append((name, a.get("value", "")))
                self.form.has_submit = True
            elif kind == "file":
                if name:
                    self.form.files.append(name)
            elif kind in {"checkbox", "radio"}:
                if name and "checked" in a:
                    self.form.fields.append((name, a.get("value", "on")))
            elif kind not in {"button", "reset"} and name:
                self.form.fields.append((name, a.get("value", "")))
        elif tag == "button":
            kind = (a.get("type") or "submit").lower()
            if kind == "submit":
                if name and not self.form.has_submit:
                    self.form.fields.append((name, a.get("value", "")))
                self.form.has_submit = True
        elif tag == "textarea" and name:
            self.textarea = (name, [])
        elif tag == "select" and name:
            self.select = _Select(name, "multiple" in a)
        elif tag == "option" and self.select is not None:
            self.in_option = True
            self.select.option_value = a.get("value")
            self.select.option_selected = "selected" in a
            self.select.option_text = []

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        elif self.in_option and self.select is not None:
            self.select.option_text.append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self.select is not None and self.in_option:
            self._close_option()
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            text = "".join(self.textarea[1])
            # The HTML parser keeps the newline that browsers drop after <textarea>.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.form.fields.append((self.textarea[0], text))
            self.textarea = None
        elif tag == "select" and self.select is not None and self.form is not None:
            if self.in_option:
                self._close_option()
            chosen = [value for value, selected in self.select.options if selected]
            if not chosen and not self.select.multiple and self.select.options:
                chosen = [self.select.options[0][0]]
            if not self.select.multiple:
                chosen = chosen[-1:]
            self.form.fields.extend((self.select.name, value) for value in chosen)
            self.select = None
        elif tag == "form":
            self.form = None

    def _close_option(self):
        select = self.select
        value = select.option_value
        if value is None:
            value = " ".join("".join(select.option_text).split())
        select.options.append((value, select.option_selected))
        self.in_option = False


def page_forms(html: str, page_url: str) -> list[HtmlForm]:
    parser = _FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms
