"""Deterministic French text on Russia/Africa geopolitics: titles, paragraphs, names and comments.

Namesake of archiver.extract.text: this module writes the replica's French text, that one reads text out of markup.
"""

from __future__ import annotations

import random

from .model import slugify

COUNTRIES = ("Mali", "Centrafrique", "Burkina Faso", "Libye", "Soudan", "Niger", "Tchad",
             "Madagascar", "Mozambique", "Côte d'Ivoire", "Guinée", "Cameroun", "Égypte", "Sahel")
SUBJECTS = ("Moscou", "Le Kremlin", "La diplomatie russe", "Le groupe Wagner", "Bamako",
            "La junte au pouvoir", "Le gouvernement de transition", "L’Union africaine", "La CEDEAO",
            "Paris", "L’état-major malien", "Le ministère russe de la Défense", "Washington",
            "Le contingent russe", "Le gouvernement centrafricain", "Pékin")
VERBS = ("a annoncé", "dénonce", "renforce", "a signé", "prépare", "multiplie", "a confirmé",
         "entend développer", "a démenti", "critique", "relance", "négocie")
OBJECTS = ("un accord de coopération militaire", "la présence française au Sahel",
           "de nouvelles livraisons d’armes", "un contrat d’exploitation minière",
           "la formation des forces de sécurité", "l’ouverture d’une base logistique",
           "des exercices militaires conjoints", "un partenariat énergétique",
           "des livraisons de blé et d’engrais", "la lutte contre le terrorisme",
           "le retrait des troupes étrangères", "un programme d’aide humanitaire")
PLACES = ("à Bamako", "en Centrafrique", "dans le nord du Mali", "au Burkina Faso", "en Libye",
          "à Khartoum", "dans la région de Mopti", "à Bangui", "au Niger", "sur le continent africain",
          "à Syrte", "à Ouagadougou", "dans le golfe de Guinée", "à Benghazi")
TIMES = ("Ce vendredi", "La semaine dernière", "Depuis plusieurs mois", "En début d’année",
         "Lors d’un point de presse", "Selon plusieurs sources diplomatiques",
         "D’après un rapport confidentiel", "À la surprise générale")
QUOTES = ("Nous ne laisserons personne dicter notre politique",
          "La coopération avec la Russie donne des résultats concrets",
          "Il s’agit d’un partenariat d’égal à égal", "La sécurité du pays passe avant tout",
          "Nos portes restent ouvertes au dialogue", "Le temps de la tutelle est révolu")
SPEAKERS = ("le porte-parole du gouvernement", "un diplomate russe", "le ministre de la Défense",
            "un officier malien", "un chercheur spécialiste du Sahel", "un conseiller du Kremlin")
CLAUSES = ("la situation sécuritaire reste très préoccupante",
           "les partenaires occidentaux réduisent leur présence",
           "l’influence russe progresse dans toute la région",
           "les populations civiles paient le prix fort du conflit",
           "les sanctions économiques pèsent sur les échanges",
           "la désinformation gagne du terrain sur les réseaux sociaux")
TOPICS = ("Défense", "Sécurité", "Diplomatie", "Énergie", "Économie", "Mines")
NICKNAMES = ("modèle Wagner", "pivot africain", "bouclier sahélien", "partenariat stratégique")
POST_AUTHORS = ("E.B.", "Élise Bernard", "Marc Dufresne", "Aïssata Koné", "Jean-Luc Morel")
FIRST_NAMES = ("Amadou", "Fatoumata", "Pierre", "Oumar", "Claire", "Ibrahim", "Sophie", "Moussa",
               "Hélène", "Nadia", "Yacouba", "Léon")
LAST_NAMES = ("Traoré", "Diallo", "Martin", "Coulibaly", "Lefèvre", "Sangaré", "Keïta", "Dubois",
              "Ouédraogo", "Girard")
PSEUDONYMS = ("Un lecteur de Bamako", "Observateur", "JPM", "Sahélien_73", "Tchèkpo")
REMARKS = ("Merci pour cet article très complet.",
           "Analyse intéressante, mais la situation est plus nuancée sur le terrain.",
           "Qui finance réellement ces opérations ?", "Article à partager largement !",
           "La France a perdu la bataille de l’opinion au Sahel.",
           "Je ne partage pas du tout cette lecture des événements.",
           "Avez-vous des sources sur ce rapport ?", "Tout cela était prévisible depuis 2013.",
           "Les populations attendent surtout la paix : le reste est secondaire.")


def lower_first(phrase: str) -> str:
    """Lowercase a leading article ("Le Kremlin" -> "le Kremlin"), keep proper nouns."""
    first = phrase.split(" ", 1)[0]
    if first in ("Le", "La", "Les") or phrase.startswith("L’"):
        return phrase[0].lower() + phrase[1:]
    return phrase


def make_title(rng: random.Random) -> str:
    """A French headline; some carry « », ’ or ', &, "quotes", or end with a question mark."""
    title = _headline(rng)
    return title.replace("’", "'") if rng.random() < 0.3 else title


def _headline(rng: random.Random) -> str:
    """A headline from one of the templates."""
    subject, verb, obj = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)
    kind = rng.randrange(7)
    if kind == 0:
        return f"{subject} {verb} « {rng.choice(QUOTES).lower()} »"
    if kind == 1:
        return f"{rng.choice(TOPICS)} & {rng.choice(TOPICS).lower()} : {lower_first(subject)} {verb} {obj}"
    if kind == 2:
        return f'Le "{rng.choice(NICKNAMES)}" s’étend {rng.choice(PLACES)}'
    if kind == 3:
        return f"Pourquoi {lower_first(subject)} {verb} {obj} ?"
    return f"{rng.choice(COUNTRIES)} : {subject} {verb} {obj}"


def make_sentence(rng: random.Random) -> str:
    """One sentence of news prose."""
    subject, verb, obj, place = (rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS),
                                 rng.choice(PLACES))
    kind = rng.randrange(6)
    if kind == 0:
        return f"{rng.choice(TIMES)}, {lower_first(subject)} {verb} {obj} {place}."
    if kind == 1:
        return f"« {rng.choice(QUOTES)} », a déclaré {rng.choice(SPEAKERS)}."
    if kind == 2:
        return f"Pour {rng.choice(SPEAKERS)}, {rng.choice(CLAUSES)}."
    if kind == 3:
        return f"Cette annonce intervient alors que {rng.choice(CLAUSES)} : {lower_first(subject)} {verb} {obj}."
    return f"{subject} {verb} {obj} {place}."


def make_paragraphs(rng: random.Random, count: int) -> list[str]:
    """`count` paragraphs of 2-5 sentences each."""
    return [" ".join(make_sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(count)]


def post_author(rng: random.Random) -> str:
    """The byline of a post."""
    return rng.choice(POST_AUTHORS)


def commenter(rng: random.Random) -> tuple[str, str | None]:
    """A comment author's name and, for some, a website on an .invalid domain."""
    if rng.random() < 0.2:
        name = rng.choice(PSEUDONYMS)
    else:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if rng.random() < 0.4:
        host = slugify(name).replace("-", "") or "lecteur"
        return name, f"https://{host}.invalid/"
    return name, None


def comment_paragraphs(rng: random.Random) -> list[str]:
    """One or two short paragraphs of a reader's comment."""
    return [" ".join(rng.sample(REMARKS, rng.randint(1, 2))) for _ in range(rng.choice((1, 1, 1, 2)))]
