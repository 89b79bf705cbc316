from django.core.management.base import BaseCommand, CommandError

from home.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the site's database and add the uploaded files of an archive "
        "written by `backup` by the same release. The archive is checked whole "
        "and restored into a new database first; the site is switched over only "
        "when that succeeded, and its previous database is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path of the archive to read")

    def handle(self, *args, archive, **options):
        try:
            result = restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {archive}: {sum(result['rows'].values())} rows, "
            f"{len(result['files'])} files. The previous database is kept as "
            f"{result['previous']}: remove it once the site is checked."
        )
