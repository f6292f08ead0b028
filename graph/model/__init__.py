"""The bottom layer: what every other layer shares and nothing else.

Vocabulary terms (:mod:`~graph.model.namespaces`), typed errors
(:mod:`~graph.model.errors`), where files live (:mod:`~graph.model.paths`),
progress bars, source locations, and the rules of the data model
(:mod:`~graph.model.rules`). Nothing here imports another layer.
"""

#: The package version (the wheel's metadata reads it from here).
__version__ = "0.1.0"
