from django.core.management.base import BaseCommand

from home.backups import backup


class Command(BaseCommand):
    help = "Write the database and the uploaded files to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path of the archive to write")

    def handle(self, *args, archive, **options):
        manifest = backup(archive)
        self.stdout.write(
            f"Wrote {archive}: {sum(manifest['rows'].values())} rows, "
            f"{len(manifest['files'])} files."
        )
