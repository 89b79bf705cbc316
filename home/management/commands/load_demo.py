from django.core.management.base import BaseCommand

from home.app_modules import app_modules


class Command(BaseCommand):
    help = (
        "Load the demo content of every app (its demo.load); safe to run again: "
        "a second run changes nothing."
    )

    def handle(self, *args, **options):
        # Apps load in INSTALLED_APPS order, so each builds on the ones it
        # depends on (home, then workgroups, then documents).
        for _label, module in app_modules("demo"):
            module.load(stdout=self.stdout)
