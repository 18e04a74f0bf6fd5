"""archivist: a static site generator for annotated archives."""

__version__ = "0.1.0"
