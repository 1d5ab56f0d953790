"""La base de remboursement (BRSS) d'une consultation, pour un médecin et une date, avec sa composition.

Pourquoi le patient d'un médecin adhérent (CAS, OPTAM) est-il remboursé sur 28 € et celui d'un
médecin non adhérent sur 23 € ? Parce que les majorations (MPC, MCS, MMG…) ne peuvent être cotées
que par le secteur 1 et les adhérents à un DPTAM (domain-facts §3 ; ameli, page CAS). Les valeurs
sont dans ``parametres/tarifs.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .erreurs import ErreurSaisie
from .modele import Medecin
from .parametres import parametre

ACTES = ("consultation",)


@dataclass(frozen=True, slots=True)
class Base:
    """Une base de remboursement : montant, composition (codes et montants), catégorie et source."""

    valeur: Decimal
    composition: tuple[tuple[str, Decimal], ...]
    categorie: str
    reference: str
    a_verifier: str | None = None

    @property
    def detail(self) -> str:
        """La composition en clair, par ex. ``"CS 23 € + MPC 2 € + MCS 3 €"``."""
        return " + ".join(f"{code} {_euros_court(m)} €" for code, m in self.composition)


def _euros_court(m: Decimal) -> str:
    # Codes de nomenclature : « 23 », « 3,50 » (le format monétaire complet relève de presentation/).
    return f"{m:.0f}" if m == m.to_integral_value() else f"{m:.2f}".replace(".", ",")


CATEGORIES = {
    "opposable": "secteur 1 ou médecin adhérent à un DPTAM, dans le parcours",
    "opposable_hors_parcours": "secteur 1 ou médecin adhérent à un DPTAM, patient hors parcours",
    "hors_dptam": "médecin non adhérent à un DPTAM qui facture un dépassement : sans les majorations",
    "autorite": "médecin non conventionné : tarif d'autorité",
}


def categorie(medecin: Medecin, parcours: bool) -> str:
    """La catégorie de tarif d'un médecin (voir ``CATEGORIES``)."""
    if medecin.secteur == 3:
        return "autorite"
    if medecin.ligne_dptam:
        return "opposable" if parcours else "opposable_hors_parcours"
    return "hors_dptam"


def brss(acte: str, medecin: Medecin, date: date, parcours: bool = True, honoraires: Decimal | None = None) -> Base:
    """La base de remboursement d'un acte pour ce médecin à cette date.

    ``honoraires`` (facultatif) : le montant facturé, qui dit si un médecin non adhérent facture au
    tarif opposable (règle du 1er avril 2018).

    >>> from datetime import date
    >>> brss("consultation", Medecin(secteur=2, dptam="CAS", specialite="specialiste"), date(2016, 3, 1)).detail
    'CS 23 € + MPC 2 € + MCS 3 €'
    """
    if acte not in ACTES:
        raise ErreurSaisie("acte", f"{acte!r} n'a pas de base dans la table", ", ".join(repr(a) for a in ACTES) + " (ou donnez brss=…)")
    cat = categorie(medecin, parcours)
    v = parametre(f"tarifs.{acte}.{medecin.specialite}.{cat}", date)
    return Base(v.valeur, v.composition, cat, v.reference, v.a_verifier)
