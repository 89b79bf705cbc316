from django.core.management.base import BaseCommand

from home.retention import purge_personal_data, retention_days


class Command(BaseCommand):
    help = (
        "Delete personal data past its retention period (settings.RETENTION_DAYS): "
        "expired sessions and invitations, old notifications and presence, the "
        "text of deleted messages, finished task results, old audit log entries. "
        "Run daily."
    )

    def handle(self, *args, **options):
        counts = purge_personal_data()
        for what, rows in counts.items():
            self.stdout.write(f"{what}: {rows}")
        self.stdout.write(f"retention days: {retention_days()}")
