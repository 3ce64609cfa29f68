"""blog-archiver: archive a Hautetfort / blogSpirit blog into SQLite."""

# The one place the version is written: pyproject.toml reads it (dynamic), `archiver --version` and the
# User-Agent (archiver.settings) show it.
__version__ = "0.2.0"
