import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.lists import exports
from evaluation.models import TargetList
from organisation.models import Segment
from prioritizer import spreadsheets


class Command(BaseCommand):
    help = (
        "Write a segment's current target list for a planning year as CSV or XLSX (one row "
        "per evaluated customer in rank order; see docs/file-formats.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="planning year")
        parser.add_argument("--segment", required=True, help="segment code")
        parser.add_argument("--format", required=True, dest="fmt", help="csv or xlsx")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, year: int, segment: str, fmt: str, output: str | None, **options):
        if fmt not in spreadsheets.FORMATS:
            raise CommandError(f"Unknown format {fmt!r}: use csv or xlsx.")
        found = Segment.objects.with_org().filter(code=segment).first()
        if found is None:
            raise CommandError(f"Unknown segment {segment}.")
        target_list = TargetList.objects.in_force_for(year, [found]).first()
        if target_list is None:
            raise CommandError(
                f"{segment} has no target list for {year}: score it first (score --year {year} --segment {segment})."
            )
        # The machine contract: English column and status keys, whatever the language.
        content = exports.render([exports.segment_list(target_list)], fmt)
        if output:
            self._write_file(Path(output), content)
        else:
            self._write_stdout(content, fmt)

    def _write_file(self, path: Path, content: bytes) -> None:
        """All or nothing: a temporary file in the same folder, renamed over the target."""
        if not path.parent.is_dir():
            raise CommandError(f"No such folder: {path.parent}")
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temporary, path)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {error}") from error

    def _write_stdout(self, content: bytes, fmt: str) -> None:
        """Bytes to standard output's binary buffer (or to a binary stream given to
        call_command); CSV may also go to a text stream, XLSX may not."""
        stream = self.stdout._out
        binary = getattr(stream, "buffer", None)
        if binary is not None:
            stream.flush()
            binary.write(content)
            binary.flush()
            return
        try:
            stream.write(content)
        except TypeError:
            if fmt != "csv":
                raise CommandError("XLSX is binary: write it with --output PATH.") from None
            stream.write(content.decode("utf-8"))
