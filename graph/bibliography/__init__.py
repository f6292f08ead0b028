"""BibTeX in and out: parsing ``sources.bib`` into entries and RDF, and
formatting entries as citations."""
