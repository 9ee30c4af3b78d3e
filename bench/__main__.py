"""Run every benchmark module in this package (or those named: python -m bench pages)."""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prioritizer.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main(names: list[str]) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        print(f"database: {connection.vendor}")
        package = Path(__file__).resolve().parent
        modules = [
            m.name for m in pkgutil.iter_modules([str(package)]) if m.name.startswith("bench_")
        ]
        for name in modules:
            if names and name.removeprefix("bench_") not in names:
                continue
            importlib.import_module(f"bench.{name}").run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1:])
