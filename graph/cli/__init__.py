"""The ``evg`` command line: a thin layer over the library.

Each command lives in a module of this package and is imported only when it
runs (or when ``--help`` lists it), so ``evg --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

import click

from graph.model import __version__

#: command name -> "module:attribute". Add a line here to add a command.
COMMANDS: dict[str, str] = {
    "stats": "graph.cli.core:stats",
    "validate": "graph.cli.core:validate",
    "fmt": "graph.cli.core:fmt",
    "sources": "graph.cli.evidence:sources",
    "claims": "graph.cli.evidence:claims_cmd",
    "report": "graph.cli.evidence:report",
    "query": "graph.cli.query:query",
    "export": "graph.cli.query:export",
    "impact": "graph.cli.query:impact",
    "html": "graph.cli.html:html",
    "check": "graph.cli.check:check",
    "extract": "graph.cli.check:extract",
    "serve": "graph.cli.server:serve",
    "publish": "graph.cli.server:publish",
    "nanopub": "graph.cli.nanopub:nanopub",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def resolve_command(self, ctx, args):
        # An unknown command: one line naming the closest ones, not click's usage block.
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            from graph.model.errors import UsageError

            raise UsageError(unknown_command(name))
        return super().resolve_command(ctx, args)


def unknown_command(name: str) -> str:
    """The message for an unknown command: the closest names, else all of them."""
    import difflib

    typed = name.lower()  # "Sources", "SORCES": commands are lower case
    close = difflib.get_close_matches(typed, list(COMMANDS), n=3, cutoff=0.6)
    if not close:  # a prefix is often enough: "exp" -> export, "ser" -> serve
        close = [c for c in sorted(COMMANDS) if len(typed) >= 2 and c.startswith(typed)][:3]
    if close:
        return f"no such command {name!r}; did you mean: {', '.join(close)}?"
    return f"no such command {name!r}; the commands are: {', '.join(sorted(COMMANDS))}"


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="evg")
def cli():
    """evidence-graph: which sources back which health claims.

    Claims, the sentences that state them and the papers cited for them live
    in one RDF graph (CiTO, BIBO, FaBiO, Web Annotation, PROV, SKOS). Every
    command reads ./claims.ttl and ./sources.bib when they exist, else the
    bundled IT-band corpus; --claims and --sources choose other files.

    \b
    Examples:
      evg stats
      evg validate --articles path/to/articles

    Paths under path/to/ are placeholders for your own files. Article texts
    (<article-slug>.txt) are the texts of the articles the corpus was
    curated from; they are not shipped with the package.
    """


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: end like an interrupt, with one line."""


def _on_signal(signum, _frame):
    raise _Terminated(signum)


def _usage_line(exc: click.ClickException) -> str:
    """A click error as one line: its message, and the command it is about."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "evg"
    hint = f" (see `{command} --help`)" if isinstance(exc, click.UsageError) else ""
    return f"evg: error: {message}{hint}"


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every failure into one line and an exit code."""
    import signal

    from graph.model.errors import EvidenceGraphError

    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            with contextlib.suppress(ValueError):  # not the main thread
                signal.signal(signum, _on_signal)
    try:
        cli.main(args=argv, prog_name="evg", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx is not None else exc.format_message(), err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("evg: error: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(_usage_line(exc), err=True)
        sys.exit(2 if isinstance(exc, (click.UsageError, click.FileError)) else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except EvidenceGraphError as exc:
        click.echo(f"evg: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("evg: error: interrupted", err=True)
        sys.exit(130)
    except _Terminated as exc:
        signum = exc.args[0] if exc.args else signal.SIGTERM
        click.echo(f"evg: error: stopped by {signal.Signals(signum).name}", err=True)
        sys.exit(128 + int(signum))
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
    except RecursionError:
        click.echo("evg: error: the input nests too deeply to be read", err=True)
        sys.exit(2)
    except MemoryError:
        click.echo("evg: error: out of memory", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug: say so in one line unless debugging
        if os.environ.get("EVG_DEBUG"):
            raise
        message = " ".join(str(exc).split())
        click.echo(f"evg: internal error: {type(exc).__name__}: {message} (set EVG_DEBUG=1 for a traceback)", err=True)
        sys.exit(3)
    sys.exit(0)
