from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Load the demo content of every app (its demo.load); safe to run again: "
        "a second run changes nothing."
    )

    def handle(self, *args, **options):
        # Apps load in INSTALLED_APPS order, so each builds on the ones it
        # depends on (home, then workgroups, then documents).
        for app_config in apps.get_app_configs():
            try:
                module = import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.demo":
                    raise
                continue
            module.load(stdout=self.stdout)
