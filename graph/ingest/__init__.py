"""Reading the corpus files into a store: Turtle and BibTeX into rdflib or
Oxigraph, the derived links, the on-disk cache, validation and the canonical
Turtle writer."""
