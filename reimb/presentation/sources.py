"""La page « Sources » : d'où viennent les chiffres du cours, chaque source avec son adresse.

Les sources sont dans ``reimb/donnees/sources.toml`` ; pour chacune, la page compte les valeurs de la table des
paramètres qui la citent (``reference``), pour que le formateur voie sur quoi repose chaque chiffre.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from ..parametres import toutes_les_series
from .tableaux import Affichage

FICHIER = Path(__file__).resolve().parent.parent / "donnees" / "sources.toml"
GENRES = {
    "loi": "Textes officiels (Légifrance)",
    "administration": "Assurance maladie et administration",
    "profession": "Syndicats de médecins et organismes",
    "presse": "Presse",
    "assureur": "Assureurs et courtiers",
}


@dataclass(frozen=True)
class Source:
    cle: str
    titre: str
    editeur: str
    url: str
    genre: str
    valeurs: int  # nombre de valeurs de la table des paramètres qui la citent


@lru_cache(maxsize=1)
def sources() -> tuple[Source, ...]:
    """Les sources du cours, avec le nombre de valeurs de la table qui citent chacune.

    >>> s = {x.cle: x for x in sources()}
    >>> s["F17042"].url
    'https://www.service-public.fr/particuliers/vosdroits/F17042'
    >>> s["CSS"].valeurs > 10
    True
    """
    with FICHIER.open("rb") as f:
        brutes = tomllib.load(f)["source"]
    references = [v.reference for valeurs in toutes_les_series().values() for v in valeurs]
    return tuple(
        Source(b["cle"], b["titre"], b["editeur"], b["url"], b["genre"],
               sum(1 for r in references if b["cle"].lower() in r.lower()))
        for b in brutes
    )


def page() -> Affichage:
    """La liste des sources par genre, avec un lien vers chacune (HTML) ; en texte : titre et adresse."""
    html, texte = [], []
    for genre, titre_genre in GENRES.items():
        du_genre = [s for s in sources() if s.genre == genre]
        if not du_genre:
            continue
        html.append(f"<h3>{escape(titre_genre)}</h3><ul class='reimb-sources'>")
        texte.append(titre_genre)
        for s in du_genre:
            cite = f" — citée par {s.valeurs} valeur{'s' if s.valeurs > 1 else ''} de la table" if s.valeurs else ""
            html.append(f"<li><a href='{escape(s.url)}' target='_blank' rel='noopener'>{escape(s.titre)}</a>"
                        f" ({escape(s.editeur)}){escape(cite)}</li>")
            texte.append(f"- {s.titre} ({s.editeur}) : {s.url}")
        html.append("</ul>")
    return Affichage("".join(html), "\n".join(texte), sources())
