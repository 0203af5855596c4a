"""`runserver` plus the embedded scheduler: what `make run` starts.

Django's development server with static files (the staticfiles variant) and, in the embedded
run, the thread that runs the Celery beat schedule in-process (portal/scheduler.py). Under the
autoreloader only the serving child process starts it, so a reload does not double it.
"""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from portal import scheduler


class Command(RunserverCommand):
    help = "Serve the portal for the embedded run, with the scheduled jobs (beat) in-process."

    def inner_run(self, *args, **options):
        started = scheduler.start()
        if started is not None:
            self.stdout.write(
                f"Scheduled jobs run in this process ({len(started.jobs)} jobs; "
                "PORTAL_EMBEDDED_SCHEDULER=false turns them off)."
            )
        return super().inner_run(*args, **options)
