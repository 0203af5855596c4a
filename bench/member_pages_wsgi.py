"""The WSGI application bench/member_pages_wrk.py serves with gunicorn: the portal as it is,
plus a bare view at /__bare__/ (returns "ok") behind the same middleware, the floor any
page is compared with. With BENCH_BARE_ONLY=1 it is the bare view alone without any
middleware: the floor ../shared/NOTES.md measured (a Django view and nothing else)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def bare(request):
    return HttpResponse("ok")


if os.environ.get("BENCH_BARE_ONLY"):
    settings.MIDDLEWARE = []
    urlpatterns = [path("__bare__/", bare)]
else:
    from portal.urls import urlpatterns as _portal

    urlpatterns = [path("__bare__/", bare), *_portal]
settings.ROOT_URLCONF = __name__

application = get_wsgi_application()
