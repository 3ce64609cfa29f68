"""Text markers the platform prints around a post, in French (data, not code)."""

import re

PRINT_LABELS = ("Imprimer", "Imprimer cette note", "Version imprimable", "Print")
PERMALINK_LABELS = ("Lien permanent", "Permalien", "Permalink")
CATEGORIES_LABELS = ("Catégories :", "Catégorie :", "Catégories:", "Catégorie:", "Tags :")
READ_MORE_LABELS = ("Lire la suite", "Lire la suite »", "Lire la suite...")
COMMENT_AUTHOR_PREFIXES = ("Écrit par :", "Ecrit par :", "Écrit par", "Posté par :", "Publié par :", "par ")
AUTHOR_PREFIXES = ("Publié par", "Posté par", "Écrit par", "Par ", "par ")

COMMENTS_COUNT = re.compile(r"(\d+)\s*commentaires?\b", re.IGNORECASE)
NO_COMMENTS = re.compile(r"\b(?:aucun|pas de)\s+commentaire\b", re.IGNORECASE)
