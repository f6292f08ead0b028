"""A remote SPARQL 1.1 query endpoint behind the store interface, so that
``evg query --endpoint`` runs the named queries there with the same code as
locally. Only the standard library talks HTTP here."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from graph.model.errors import EvidenceGraphError, QueryError
from graph.store.base import Backend

__all__ = ["RemoteBackend", "RemoteError"]

# Oxigraph streams results; a query stopped by its timeout ends the stream with this note.
_CANCELLED = b"The SPARQL operation has been cancelled"


class RemoteError(EvidenceGraphError):
    """An endpoint URL that cannot be used."""


def _term(binding: dict):
    from rdflib import BNode, Literal, URIRef

    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang = binding.get("xml:lang")
    datatype = binding.get("datatype")
    if lang:
        return Literal(value, lang=lang)
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


class RemoteBackend(Backend):
    """A remote SPARQL 1.1 query endpoint, behind the store interface."""

    name = "remote"

    def __init__(self, endpoint: str, *, timeout: float = 120):
        if not endpoint.startswith(("http://", "https://")):
            raise RemoteError(f"endpoint {endpoint!r} is not an http(s) URL")
        self.endpoint = endpoint
        self.timeout = timeout
        self.path = None
        #: the Content-Type of the last answer, for the message when it is not SPARQL
        self._content_type = ""

    def _post(self, query: str, accept: str) -> bytes:
        request = urllib.request.Request(
            self.endpoint,
            data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
                self._content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            message = self._refusal(exc.code, exc.reason, exc.headers.get("Content-Type", ""), exc.read())
            raise QueryError(message) from None
        except TimeoutError:
            raise QueryError(f"{self.endpoint}: no answer within {self.timeout:.0f} s") from None
        except (urllib.error.URLError, OSError) as exc:
            raise QueryError(f"{self.endpoint}: cannot connect: {getattr(exc, 'reason', exc)}") from None
        # Oxigraph streams results; a query stopped by its timeout ends the stream with this note.
        if body.rstrip().endswith(_CANCELLED):
            raise QueryError(
                f"{self.endpoint}: the server stopped the query when it ran past its time limit; "
                "simplify the query or restart `evg serve` with a longer --timeout"
            )
        return body

    def _refusal(self, code: int, reason: str, content_type: str, raw: bytes) -> str:
        """One line for an HTTP error answer: a time limit, a refused query, or else."""
        detail = ""
        if "html" not in content_type.lower():  # an HTML error page says nothing in one line
            lines = [line.strip() for line in raw.decode("utf-8", "replace").splitlines() if line.strip()]
            detail = lines[0][:300] if lines else ""
        said = detail or reason or ""
        low = said.lower()
        if code == 504 or (code in (500, 503) and ("timeout" in low or "timed out" in low or "time limit" in low)):
            return (
                f"{self.endpoint}: the endpoint stopped the query at its time limit (HTTP {code}); "
                "simplify the query or raise the server's --timeout"
            )
        if code in (400, 403, 405, 406, 413, 415):
            return f"{self.endpoint}: the endpoint refused the query (HTTP {code}): {said}"
        return f"{self.endpoint}: HTTP {code}: {said}"

    def _not_sparql(self, what: str) -> QueryError:
        kind = self._content_type or "no Content-Type"
        return QueryError(
            f"{self.endpoint}: the answer is not {what} (Content-Type: {kind}); "
            "is this the query URL of a SPARQL endpoint?"
        )

    def _graph(self, raw: bytes):
        from rdflib import Graph

        g = Graph()
        try:
            g.parse(data=raw.decode("utf-8"), format="nt")
        except Exception:
            raise self._not_sparql("N-Triples") from None
        return g

    @staticmethod
    def _prepared(query: str, prefixes: dict | None, bindings: dict | None) -> str:
        from rdflib import BNode

        from graph.sparql.text import bind_values

        if bindings:
            if any(isinstance(v, BNode) for v in bindings.values()):
                raise QueryError("blank nodes cannot be sent as parameters to a remote endpoint")
            query = bind_values(query, {str(k).lstrip("?"): v for k, v in bindings.items()})
        if prefixes:
            from graph.model.namespaces import prefix_header

            query = prefix_header(prefixes) + query
        return query

    def _results(self, query: str, prefixes=None, bindings=None) -> dict:
        raw = self._post(self._prepared(query, prefixes, bindings), "application/sparql-results+json")
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not ("boolean" in data or isinstance(data.get("results"), dict)):
            raise self._not_sparql("SPARQL JSON results")
        return data

    def select(self, query: str, bindings: dict | None = None) -> list[dict]:
        data = self._results(query, None, bindings)
        names = data.get("head", {}).get("vars", [])
        return [
            {n: (_term(row[n]) if n in row else None) for n in names}
            for row in data.get("results", {}).get("bindings", [])
        ]

    def ask(self, query: str, bindings: dict | None = None) -> bool:
        return bool(self._results(query, None, bindings).get("boolean"))

    def query(self, query: str, prefixes: dict | None = None, bindings: dict | None = None):
        from rdflib import Variable
        from rdflib.query import Result

        from graph.sparql import query_form

        form = query_form(query)  # run_query has checked it: parsing it again would only cost time
        if form in ("CONSTRUCT", "DESCRIBE"):
            raw = self._post(self._prepared(query, prefixes, bindings), "application/n-triples")
            out = Result(form)
            out.graph = self._graph(raw)
            return out
        data = self._results(query, prefixes, bindings)
        if form == "ASK":
            out = Result("ASK")
            out.askAnswer = bool(data.get("boolean"))
            return out
        out = Result("SELECT")
        out.vars = [Variable(v) for v in data.get("head", {}).get("vars", [])]
        out.bindings = [
            {Variable(k): _term(v) for k, v in row.items()} for row in data.get("results", {}).get("bindings", [])
        ]
        return out

    def describe(self, node):
        return self._graph(self._post(f"DESCRIBE <{node}>", "application/n-triples"))

    def describe_many(self, nodes):
        from rdflib import Graph

        g, nodes = Graph(), list(nodes)
        for i in range(0, len(nodes), 200):  # a few requests, each of a bounded size
            raw = self._post("DESCRIBE " + " ".join(f"<{n}>" for n in nodes[i : i + 200]), "application/n-triples")
            g += self._graph(raw)
        return g

    def serialize(self, fmt: str = "nt") -> bytes:
        return self._post("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"]) if rows else 0

    @property
    def rdf(self):

        return self._graph(self.serialize())
