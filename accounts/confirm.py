"""Destructive and surprising actions ask first (no JavaScript needed).

The action's own URL answers GET, and a POST without `confirmed=yes`, with a question page
(templates/includes/confirm_page.html) that says what will happen and to whom; that page's
form posts again with `confirmed=yes` and whatever the first form carried. Only then does the
view call its service and show a success message. Next to accounts.permissions because every
app's views use both.
"""

from django.shortcuts import render


def confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def confirm_page(request, *, title, question, button, back_url, details=(), hidden=()):
    """The question; `hidden` are (name, value) pairs posted again with the confirmation."""
    return render(
        request,
        "includes/confirm_page.html",
        {
            "confirm": {
                "title": title,
                "question": question,
                "details": [line for line in details if line],
                "button": button,
                "back_url": back_url,
                "hidden": list(hidden),
            }
        },
    )
