"""The command line: a thin layer over the library; one line per problem, exit 1."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import __version__
from .config import PROFILES, Config, load_config
from .errors import ArchivistError, ConfigError, ContentWarning, ProblemList, report_lines


def run() -> None:
    """The `archivist` command: main, then the process ends. When a build is done, it
    ends at once, without freeing the archive it holds object by object: half a
    second on a large archive, for nothing. Every file is closed by then. So does a
    command that builds until interrupted (serve, build --watch), whatever its
    threads are doing: one may be loading a model or waiting on Pagefind."""
    held: list[object] = []
    code = main(held=held)
    if held:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None, held: list[object] | None = None) -> int:
    """Run archivist with argv (default: sys.argv[1:]); return the exit code. A
    command that builds puts what it built in held, when given, for the caller to end
    the process without freeing it (see run)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    args.held = held
    try:
        return args.run(args)
    except ArchivistError as error:
        _report(error)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the output went to a reader that stopped early (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0


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
    _annotation_arguments(build)
    build.add_argument("--force", action="store_true",
                       help="build even when no input changed since the last build")
    build.add_argument("--watch", action="store_true",
                       help="then rebuild on every change, writing an edit's pages first, until Ctrl-C")
    build.add_argument("--no-daemon", action="store_true",
                       help="build in this process alone, and leave no daemon holding the archive for the next build")
    build.add_argument("--stop-daemon", action="store_true",
                       help="stop the daemon holding this archive, if one runs, and build nothing")
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="build, serve locally and rebuild on change")
    _site_arguments(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks one)")
    serve.add_argument("--review", action="store_true",
                       help="also serve /__archivist__/review: annotators, confidence, overrides to paste")
    serve.set_defaults(run=_serve)

    check = commands.add_parser("check", help="validate content and registry without building")
    check.add_argument("site", nargs="?", type=Path, default=Path("."), help="archive folder")
    check.set_defaults(run=_check)

    entities = commands.add_parser("entities", help="list the entities; --suggest registry entries")
    entities.add_argument("site", nargs="?", type=Path, default=Path("."), help="archive folder")
    entities.add_argument("--profile", choices=sorted(PROFILES), help="annotator profile")
    entities.add_argument("--suggest", action="store_true",
                          help="print TOML for entities.toml: frequent new entities, likely duplicates")
    entities.add_argument("--min-mentions", type=int, default=3,
                          help="least mentions of a suggested new entity (default 3)")
    entities.set_defaults(run=_entities)

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


def _annotation_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--jobs", type=_positive, metavar="N",
                         help="annotate in N worker processes (default: one per CPU; 1: in this process)")
    command.add_argument("--executor", choices=["local", "dask"], default="local",
                         help="where annotators run: this machine, or a Dask cluster (see --scheduler)")
    command.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.5:8786")
    command.add_argument("--quiet", action="store_true", help="no progress line on the terminal")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _executor(args: argparse.Namespace):
    from .executors import Dask, Local

    if args.executor == "dask":
        if not args.scheduler:
            raise ConfigError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        return Dask(args.scheduler)
    return Local(args.jobs)


def _new(args: argparse.Namespace) -> int:
    from .scaffold import create_archive

    create_archive(args.dir)
    print(f"created {args.dir}; build it with: archivist build {args.dir}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from . import build_daemon
    from .manifest import fingerprint, unchanged, unchanged_report
    from .progress import Progress

    started = time.perf_counter()
    config = load_config(args.site, profile=args.profile, output_dir=args.output)
    if args.stop_daemon:
        stopped = build_daemon.stop(config)
        print("daemon stopped" if stopped else "no daemon holds this archive", file=sys.stderr)
        return 0
    if args.watch:
        return _watch(config, args)
    # A daemon holds the archive in memory from one build to the next (build_daemon.py);
    # it finds out itself whether anything changed, after publishing an edit's pages.
    daemon = (args.executor == "local" and args.jobs is None
              and build_daemon.wanted(args.no_daemon, sys.stderr))  # fmt: skip
    if daemon and not args.force:
        shown = Progress.for_terminal(sys.stderr, quiet=args.quiet).stream is not None
        if (code := build_daemon.build_through(config, sys.stderr, progress=shown)) is not None:
            return code
    inputs = fingerprint(config)  # before anything is read: a later edit is a change
    if not args.force and (last := unchanged(config, inputs)):  # before the pipeline is imported
        for line in unchanged_report(last, time.perf_counter() - started):
            print(line, file=sys.stderr)
        code = 1 if last.failed else 0
    else:
        code = _build_here(config, args, inputs)
    if daemon and build_daemon.start(config):
        print("a daemon keeps the archive in memory for the next build "
              f"(it stops after {build_daemon.IDLE // 60} minutes unused; --no-daemon not to)", file=sys.stderr)
    return code


def _build_here(config: Config, args: argparse.Namespace, inputs: str) -> int:
    """The build in this process."""
    from .build import build, catch_up_search, search_warmed
    from .memory import BuildMemory
    from .progress import Progress

    progress = Progress.for_terminal(sys.stderr, quiet=args.quiet)
    memory = BuildMemory()  # holds the archive built
    if args.held is not None:
        args.held.append(memory)
    # The pages are published first, then the search index catches up (Pagefind reads
    # every document again, the longest step of a rebuild after an edit).
    with search_warmed(config) as indexer:
        result = build(config, _executor(args), progress, force=args.force, search_later=True, memory=memory,
                       indexer=indexer, inputs=inputs)  # fmt: skip
        for line in result.report():
            print(line, file=sys.stderr)
        if (seconds := catch_up_search(config, result, indexer, progress)) is not None:
            print(f"search index updated in {seconds:.2f} s", file=sys.stderr)
    return 1 if result.errors else 0


def _watch(config: Config, args: argparse.Namespace) -> int:
    """build --watch: builds as serve's, in this process, with its memory."""
    if args.force or args.executor != "local" or args.jobs is not None:
        raise ConfigError("--watch builds as `archivist serve` does: without --force, --jobs or --executor")
    from .serve import build_on_change

    if args.held is not None:
        args.held.append(config)  # ends at once (see run)
    build_on_change(config)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    config = load_config(args.site, profile=args.profile, output_dir=args.output)
    if args.held is not None:
        args.held.append(config)  # ends at once (see run)
    serve(config, host=args.host, port=args.port, review=args.review)
    return 0


def _entities(args: argparse.Namespace) -> int:
    from .build import load_archive
    from .entities_cli import print_entities, print_suggestions

    archive, problems = load_archive(load_config(args.site, profile=args.profile))
    _print_problems(problems)
    if args.suggest:
        print_suggestions(archive, sys.stdout, args.min_mentions)
    else:
        print_entities(archive, sys.stdout)
    return 1 if any(not isinstance(p, ContentWarning) for p in problems) else 0


def _check(args: argparse.Namespace) -> int:
    from .check import check

    problems = check(load_config(args.site))
    _print_problems(problems)
    errors = [p for p in problems if not isinstance(p, ContentWarning)]
    warnings = len(problems) - len(errors)
    print(f"{len(errors)} problem(s), {warnings} warning(s)" if problems else "no problems found", file=sys.stderr)
    return 1 if errors else 0


def _print_problems(problems: list[ArchivistError]) -> None:
    for line in report_lines(problems):
        print(line, file=sys.stderr)


def _annotate(args: argparse.Namespace) -> int:
    from .annotate_cli import annotate_jsonl, annotate_paths

    if args.jsonl:
        return annotate_jsonl(sys.stdin, sys.stdout, site=args.site, profile=args.profile)
    if not args.paths:
        print("error: give one or more documents, or --jsonl", file=sys.stderr)
        return 2
    return annotate_paths(args.paths, sys.stdout, site=args.site, profile=args.profile)
