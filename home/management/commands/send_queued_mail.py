from django.core.management.base import BaseCommand

from home.outbox import send_due


class Command(BaseCommand):
    help = (
        "Hand every queued e-mail that is due to the sending task again: for "
        "task backends that cannot defer a retry, and after a restore."
    )

    def handle(self, *args, **options):
        count = send_due()
        if options["verbosity"]:
            self.stdout.write(f"{count} queued e-mails handed to the sending task.")
