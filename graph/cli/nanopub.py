"""Command group ``nanopub``: sign and verify exported nanopublications (optional extra)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.model.words import plural


@click.group()
def nanopub():
    """Sign and verify nanopublications (needs: pip install 'evidence-graph[nanopub]').

    \b
    Examples:
      evg export --format trig-nanopub --creator https://orcid.org/0000-0002-1825-0097 -o nanopubs/
      evg nanopub sign nanopubs/ --key id_rsa.pem --orcid https://orcid.org/0000-0002-1825-0097
      evg nanopub verify nanopubs/
    """


@nanopub.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--key",
    "key",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="RSA private key, PKCS#8 PEM (openssl genpkey -algorithm RSA -out key.pem).",
)
@click.option(
    "--orcid", required=True, metavar="IRI", help="Your ORCID iD, e.g. https://orcid.org/0000-0002-1825-0097."
)
@click.option("--name", help="Your name, recorded with the signature.")
def sign(folder, key, orcid, name):
    """Sign every .trig file in FOLDER and give each a trusty URI (in place)."""
    from graph.export.signing import sign_folder

    if not orcid.startswith("https://orcid.org/"):
        raise click.BadParameter(
            "give the full ORCID iD IRI, https://orcid.org/XXXX-XXXX-XXXX-XXXX", param_hint="--orcid"
        )
    signed = sign_folder(folder, key, orcid, name)
    for path, uri in signed:
        click.echo(f"{path.name}  {uri}")
    click.echo(f"signed {plural(len(signed), 'nanopublication')} in {folder}", err=True)


@nanopub.command()
@click.argument("folder", type=click.Path(path_type=Path))
def verify(folder):
    """Check the signature and trusty URI of every .trig file in FOLDER; name each that fails."""
    from graph.export.signing import verify_folder

    verdicts = verify_folder(folder)
    bad = [v for v in verdicts if not v.ok]
    for v in bad:
        click.echo(f"{v.path}: {v.message}")
    click.echo(f"{len(verdicts) - len(bad)} of {plural(len(verdicts), 'nanopublication')} verified", err=True)
    if bad:
        sys.exit(1)
