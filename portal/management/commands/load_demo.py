from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_accounts

# Each domain app may have a demo.py with load(); they run in dependency order.
DEMO_APPS = ["directory", "council", "workshops", "agreements"]


class Command(BaseCommand):
    help = "Load the demo accounts and example data (idempotent; refuses to run in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo loader does not run with DJANGO_ENV=production.")
        with transaction.atomic():
            load_accounts()
            modules = []
            for app in DEMO_APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.load()
                modules.append(module)
            # What must wait for the other apps' data (the council approves its 2014 minutes
            # once the workshops have added their decisions).
            for module in modules:
                if hasattr(module, "finish"):
                    module.finish()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo accounts:"))
        for email, _name, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:28} {role.label:22} password: {DEMO_PASSWORD}")
