"""Helpers for request-level tests that act like a person with a browser: load a page, take
its form as shown, change a few fields and submit it."""

from django.urls import resolve

from tests.integrity.htmlforms import page_forms


def form_on(client, page: str, action_name: str, *, response=None) -> tuple[str, dict]:
    """(action path, data) of the one POST form on `page` that posts to URL name `action_name`."""
    response = response or client.get(page)
    assert response.status_code in {200, 409}, (page, response.status_code)
    forms = [
        form
        for form in page_forms(response.content.decode(), page)
        if form.method == "post" and _url_name(form.action) == action_name
    ]
    assert len(forms) == 1, f"{page}: {len(forms)} forms post to {action_name}"
    return forms[0].action, forms[0].data()


def _url_name(path: str) -> str:
    match = resolve(path)
    return f"{match.namespace}:{match.url_name}"
