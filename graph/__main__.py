"""``python -m graph`` is the same as ``evg``."""

from graph.cli import main

if __name__ == "__main__":
    main()
