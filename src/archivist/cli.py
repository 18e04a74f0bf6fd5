"""The command line: a thin layer over the library; one line per problem, exit 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .config import PROFILES, load_config
from .errors import ArchivistError, ProblemList


def main(argv: list[str] | None = None) -> int:
    """Run archivist with argv (default: sys.argv[1:]); return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except ArchivistError as error:
        _report(error)
        return 1
    except KeyboardInterrupt:
        return 130


def _report(error: ArchivistError) -> None:
    problems = error.problems if isinstance(error, ProblemList) else [error]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archivist",
        description="Build annotated static archives: entities, quotes and who said what.",
    )
    parser.add_argument("--version", action="version", version=f"archivist {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    new = commands.add_parser("new", help="create a new archive folder that builds")
    new.add_argument("dir", type=Path, help="folder to create (must not exist or be empty)")
    new.set_defaults(run=_new)

    build = commands.add_parser("build", help="build the site into the output folder")
    _site_arguments(build)
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="build, serve locally and rebuild on change")
    _site_arguments(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks one)")
    serve.set_defaults(run=_serve)

    check = commands.add_parser("check", help="validate content and registry without building")
    check.add_argument("site", nargs="?", type=Path, default=Path("."), help="archive folder")
    check.set_defaults(run=_check)

    annotate = commands.add_parser("annotate", help="print a document's annotations as JSON")
    annotate.add_argument("paths", nargs="*", type=Path, help="documents to annotate")
    annotate.add_argument("--format", choices=["json"], default="json", help="output format")
    annotate.add_argument("--jsonl", action="store_true",
                          help='read {"id", "text"} lines on stdin, write one result per line')
    annotate.add_argument("--site", type=Path, help="use this archive's settings and registry")
    annotate.add_argument("--profile", choices=sorted(PROFILES), help="annotator profile")
    annotate.set_defaults(run=_annotate)
    return parser


def _site_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("site", nargs="?", type=Path, default=Path("."), help="archive folder")
    command.add_argument("--profile", choices=sorted(PROFILES), help="annotator profile")
    command.add_argument("--output", help="output folder, relative to the archive folder")


def _new(args: argparse.Namespace) -> int:
    from .scaffold import create_archive

    create_archive(args.dir)
    print(f"created {args.dir}; build it with: archivist build {args.dir}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import build

    config = load_config(args.site, profile=args.profile, output_dir=args.output)
    result = build(config)
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)
    print(result.summary(), file=sys.stderr)
    return 1 if result.problems else 0


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    config = load_config(args.site, profile=args.profile, output_dir=args.output)
    serve(config, host=args.host, port=args.port)
    return 0


def _check(args: argparse.Namespace) -> int:
    from .check import check

    problems = check(load_config(args.site))
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"{len(problems)} problem(s)" if problems else "no problems found", file=sys.stderr)
    return 1 if problems else 0


def _annotate(args: argparse.Namespace) -> int:
    from .annotate_cli import annotate_jsonl, annotate_paths

    if args.jsonl:
        return annotate_jsonl(sys.stdin, sys.stdout, site=args.site, profile=args.profile)
    if not args.paths:
        print("error: give one or more documents, or --jsonl", file=sys.stderr)
        return 2
    return annotate_paths(args.paths, sys.stdout, site=args.site, profile=args.profile)
