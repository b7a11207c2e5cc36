"""`kefu kb import DIR` and `kefu kb export DIR`."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kefu.services import Services


def add_kb_commands(sub: Any) -> None:
    """Register the `kb` command group on the main parser's subparsers."""
    kb = sub.add_parser("kb", help="help-center articles").add_subparsers(required=True)
    load = kb.add_parser("import", help="create or update articles from a folder of Markdown")
    load.add_argument("directory", type=Path)
    load.set_defaults(command=cmd_kb_import)
    dump = kb.add_parser("export", help="write every article to a folder of Markdown")
    dump.add_argument("directory", type=Path)
    dump.set_defaults(command=cmd_kb_export)


def cmd_kb_import(args: argparse.Namespace) -> int:
    from kefu.kb.folder import import_articles

    with _services() as services:
        result = import_articles(services, args.directory)
    print(f"{result.articles} articles read, {result.changed} new or changed")
    return 0


def cmd_kb_export(args: argparse.Namespace) -> int:
    from kefu.kb.folder import export_articles

    with _services() as services:
        written = export_articles(services, args.directory)
    print(f"{written} files written to {args.directory}")
    return 0


@contextmanager
def _services() -> Iterator[Services]:
    from kefu.services import build_services
    from kefu.settings import SettingsError, configuration_problems, load_settings
    from kefu.store.migrate import migrate

    settings = load_settings()
    problems = configuration_problems(settings)
    if problems:
        raise SettingsError(problems)
    services = build_services(settings)
    try:
        migrate(services.db)
        yield services
    finally:
        services.db.engine.dispose()
