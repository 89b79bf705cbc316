from django.core.management.base import BaseCommand, CommandError

from home.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database's content and the uploaded files with an archive "
        "written by `backup` (the database must be migrated to the same schema)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path of the archive to read")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {archive}: {sum(manifest['rows'].values())} rows, "
            f"{len(manifest['files'])} files."
        )
