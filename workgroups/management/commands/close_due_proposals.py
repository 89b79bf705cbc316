from django.core.management.base import BaseCommand

from workgroups.services.proposals import proposals_close_due, proposals_remind_due


class Command(BaseCommand):
    help = (
        "Close every proposal whose closing time has come and send the "
        "reminders that are due: for task backends that cannot defer (and "
        "after a restore); run it from cron every minute."
    )

    def handle(self, *args, **options):
        reminded = proposals_remind_due()
        closed = proposals_close_due()
        if options["verbosity"]:
            self.stdout.write(f"{closed} proposals closed, {reminded} reminders sent.")
