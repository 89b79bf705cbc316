from django.core.management.base import BaseCommand

from documents.services import drafts_save_quiet


class Command(BaseCommand):
    help = (
        "Save a version of every draft whose live text nobody has changed for "
        "COEDITING_QUIET_MINUTES and that no version holds yet. Run it from cron "
        "every few minutes; running it again changes nothing."
    )

    def handle(self, *args, **options):
        versions = drafts_save_quiet()
        if options["verbosity"]:
            self.stdout.write(f"{len(versions)} automatic versions saved.")
