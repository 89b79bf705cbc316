from django.core.management.base import BaseCommand, CommandError

from home.backups import BackupError, drill


class Command(BaseCommand):
    help = (
        "Back up, restore into a scratch database (the site is not touched), "
        "compare row counts and file checksums; one key=value line. For "
        "operators to schedule (docs/backups.md)."
    )

    def handle(self, *args, **options):
        try:
            report = drill()
        except BackupError as error:
            raise CommandError(f"restore drill failed: {error}") from error
        self.stdout.write(
            "restore_drill=ok "
            + " ".join(f"{key}={value}" for key, value in report.items())
        )
