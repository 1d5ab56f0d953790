"""Le glossaire du cours : les mots du métier, chacun avec sa définition et sa source (avec son adresse).

Une seule source, ``reimb/donnees/glossaire.toml``, pour la page du notebook 07, la page imprimable
(:mod:`reimb.presentation.glossaire_page`) et les renvois du cours.

>>> from reimb import glossaire
>>> len(glossaire.termes()) >= 40
True
>>> t = glossaire.terme("PF")
>>> t.terme, t.reference.url.startswith("https://")
('Participation forfaitaire', True)
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .erreurs import ErreurSaisie

FICHIER = Path(__file__).parent / "donnees" / "glossaire.toml"


@dataclass(frozen=True)
class Reference:
    """La source d'une définition : son intitulé et son adresse."""

    texte: str
    url: str

    def __str__(self) -> str:
        return f"{self.texte} — {self.url}"


@dataclass(frozen=True)
class Terme:
    """Un terme du glossaire."""

    terme: str
    definition: str
    reference: Reference
    sigle: str | None = None
    aussi: tuple[str, ...] = ()
    voir: tuple[str, ...] = ()

    @property
    def intitule(self) -> str:
        """« Participation forfaitaire (PF) »."""
        return f"{self.terme} ({self.sigle})" if self.sigle else self.terme

    @property
    def ancre(self) -> str:
        """Un identifiant pour les liens (« participation-forfaitaire »)."""
        return re.sub(r"[^a-z0-9]+", "-", _cle(self.terme)).strip("-")


def _cle(texte: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.casefold().replace("’", "'").split())


@lru_cache(maxsize=1)
def termes() -> tuple[Terme, ...]:
    """Tous les termes, dans l'ordre alphabétique français (accents ignorés)."""
    with FICHIER.open("rb") as f:
        donnees = tomllib.load(f)
    liste = [
        Terme(
            terme=t["terme"], definition=t["definition"], reference=Reference(t["reference"], t["url"]),
            sigle=t.get("sigle"), aussi=tuple(t.get("aussi", ())), voir=tuple(t.get("voir", ())),
        )
        for t in donnees["terme"]
    ]
    return tuple(sorted(liste, key=lambda t: _cle(t.terme)))


def terme(nom: str) -> Terme:
    """Un terme par son nom, son sigle ou un autre nom (casse et accents ignorés)."""
    cle = _cle(nom)
    for t in termes():
        if cle in {_cle(t.terme), _cle(t.sigle or ""), *(_cle(a) for a in t.aussi)}:
            return t
    raise ErreurSaisie("terme", f"« {nom} » n'est pas dans le glossaire", "un terme, un sigle (BRSS, PF, TM…) ou un autre nom du terme")


def chercher(texte: str) -> tuple[Terme, ...]:
    """Les termes dont le nom, le sigle, un autre nom ou la définition contient ``texte``."""
    cle = _cle(texte)
    return tuple(t for t in termes()
                 if any(cle in _cle(x) for x in (t.terme, t.sigle or "", t.definition, *t.aussi)))


def lien(nom: str, page: str = "07_glossaire.ipynb") -> str:
    """L'adresse d'un terme dans la page du glossaire, pour un renvoi depuis le texte du cours.

    >>> lien("PF")
    '07_glossaire.ipynb#participation-forfaitaire'
    """
    return f"{page}#{terme(nom).ancre}"
