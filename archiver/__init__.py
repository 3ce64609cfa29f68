"""blog-archiver: archive a Hautetfort / blogSpirit blog into SQLite."""

__version__ = "0.1.0"
