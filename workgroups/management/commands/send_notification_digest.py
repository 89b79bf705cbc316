from django.core.management.base import BaseCommand

from workgroups.services.notifications import notification_digest_send


class Command(BaseCommand):
    help = (
        "Send each person the notifications waiting for their daily digest, "
        "one e-mail in their language; run it daily from cron or a systemd "
        "timer (or enqueue notification_digest_task)."
    )

    def handle(self, *args, **options):
        sent = notification_digest_send()
        if options["verbosity"]:
            self.stdout.write(f"{sent} digests queued.")
