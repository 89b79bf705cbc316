from django.core.management.base import BaseCommand, CommandError

from home.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded files, as they were at one moment, "
        "to one archive (a .tar, or .tar.gz when the name ends in .gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path of the archive to write")

    def handle(self, *args, archive, **options):
        try:
            manifest = backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Wrote {archive}: {sum(manifest['rows'].values())} rows, "
            f"{manifest['files']} files."
        )
        for name in manifest["missing"]:
            self.stderr.write(f"Not on disk, so not in the archive: {name}")
