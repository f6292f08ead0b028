"""``trig-nanopub``: one unsigned nanopublication per claim, as TriG.

:func:`nanopub_files` gives one TriG document per nanopublication (what
nanopub tools accept: they refuse a file holding several); the exporter's
:meth:`~NanopubExporter.render` gives them all in one file.

Each claim ``claim:<slug>`` becomes ``np:<slug>`` (``https://w3id.org/evidence-graph/np/<slug>``)
with four named graphs:

- ``…#Head``: the nanopublication and its three parts (``np:hasAssertion`` …);
- ``…#assertion``: the claim, its statements with their quote selectors, and
  the derived support and dispute links in both directions;
- ``…#provenance``: the assertion ``prov:wasDerivedFrom`` each article that
  states the claim and each source cited for it;
- ``…#pubinfo``: ``dcterms:creator``, ``dcterms:license`` and, only when
  given, ``dcterms:created`` as ``xsd:dateTime`` (no clock time is read, so
  the same data always gives the same file).
"""

from __future__ import annotations

from collections import defaultdict

from graph.export import Exporter, ExportOptions, xsd_datetime


def nanopub_dataset(eg, options: ExportOptions):
    """The nanopublications as an rdflib ``Dataset`` (one set of four graphs per claim)."""
    from rdflib import Dataset, Literal, URIRef

    from graph.export._rdf import stable_labels
    from graph.model.namespaces import CLAIM, DCTERMS, NANOPUB, NP, PROV, RDF, XSD, bind_prefixes, local_name
    from graph.sparql.catalogue import query_text

    assertions: dict = defaultdict(list)
    for row in eg.select(query_text("export/nanopub-assertions.rq")):
        assertions[row["claim"]].append((row["s"], row["p"], row["o"]))
    origins: dict = defaultdict(set)
    for row in eg.select(query_text("export/nanopub-provenance.rq")):
        origins[row["claim"]].add(row["origin"])
    labels = stable_labels(t for triples in assertions.values() for t in triples)

    ds = Dataset()
    bind_prefixes(ds)
    ds.bind("np", str(NP._NS), override=True, replace=True)
    ds.bind("nanopub", str(NANOPUB), override=True, replace=True)
    creator = URIRef(options.creator)
    license_iri = URIRef(options.license)
    created = None
    if options.created:
        created = Literal(xsd_datetime(options.created), datatype=XSD.dateTime, normalize=False)  # "Z" kept
    for claim in sorted(eg.claim_iris):
        slug = local_name(claim, CLAIM) or str(claim)
        this = NANOPUB[slug]
        head, assertion, provenance, pubinfo = (
            URIRef(f"{this}#{part}") for part in ("Head", "assertion", "provenance", "pubinfo")
        )
        g = ds.graph(head)
        g.add((this, RDF.type, NP.Nanopublication))
        g.add((this, NP.hasAssertion, assertion))
        g.add((this, NP.hasProvenance, provenance))
        g.add((this, NP.hasPublicationInfo, pubinfo))
        g = ds.graph(assertion)
        for s, p, o in assertions.get(claim, ()):
            g.add((labels.get(s, s), p, labels.get(o, o)))
        g = ds.graph(provenance)
        for origin in sorted(origins.get(claim, ())):
            g.add((assertion, PROV.wasDerivedFrom, origin))
        g = ds.graph(pubinfo)
        g.add((this, DCTERMS.creator, creator))
        g.add((this, DCTERMS.license, license_iri))
        if created is not None:
            g.add((this, DCTERMS.created, created))
    return ds


class NanopubExporter(Exporter):
    name = "trig-nanopub"
    suffix = ".trig"
    media_type = "application/trig"
    description = "one unsigned nanopublication per claim (head, assertion, provenance, pubinfo graphs) as TriG"

    def render(self, eg, options: ExportOptions) -> str:
        """All nanopublications in one TriG file (nanopub tools refuse such a
        file; :func:`nanopub_files` gives one per file)."""
        return write_trig(nanopub_dataset(eg, options))


def nanopub_files(eg, options: ExportOptions) -> dict[str, str]:
    """``{"<claim-slug>.trig": TriG text}``: one nanopublication per document."""
    from rdflib import Dataset

    ds = nanopub_dataset(eg, options)
    groups: dict[str, list] = defaultdict(list)
    for g in ds.graphs():
        if len(g):
            base = str(g.identifier).rpartition("#")[0]
            groups[base].append(g)
    out = {}
    for base in sorted(groups):
        one = Dataset()
        for g in groups[base]:
            target = one.graph(g.identifier)
            for triple in g:
                target.add(triple)
        out[base.rpartition("/")[2] + ".trig"] = write_trig(one)
    return out


def write_trig(ds) -> str:
    """TriG with the graphs in a fixed order (each nanopublication's head,
    assertion, provenance and pubinfo together) and prefixes declared once.
    rdflib's own TriG writer orders graphs differently from run to run."""
    from rdflib import Graph

    from graph.model.namespaces import NANOPUB, NP, PREFIXES

    prefixes = sorted({**PREFIXES, "np": str(NP._NS), "nanopub": str(NANOPUB)}.items())
    out = [f"@prefix {p}: <{ns}> ." for p, ns in prefixes]
    graphs = ds.graphs() if hasattr(ds, "graphs") else ds.contexts()
    for name in sorted((g.identifier for g in graphs if len(g)), key=_graph_order):
        g = Graph()
        for p, ns in prefixes:
            g.bind(p, ns, override=True, replace=True)
        for triple in ds.graph(name):
            g.add(triple)
        body = [line for line in g.serialize(format="turtle").splitlines() if not line.startswith("@prefix")]
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        out += ["", f"<{name}> {{"] + [("    " + line) if line else "" for line in body] + ["}"]
    return "\n".join(out) + "\n"


_PARTS = {"Head": 0, "assertion": 1, "provenance": 2, "pubinfo": 3}


def _graph_order(name) -> tuple:
    base, _, part = str(name).rpartition("#")
    return base, _PARTS.get(part, 4), part
