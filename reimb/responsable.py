"""Le contrat responsable (CSS art. L.871-1, R.871-1, R.871-2) : plafonds et contrôle de conformité.

R.871-2 (rédaction du décret n° 2014-1374 du 18 novembre 2014), la « double limite » sur les
dépassements des médecins qui n'ont pas adhéré à un DPTAM :

1. la prise en charge du dépassement est plafonnée à 125 % de la BRSS en 2015-2016, puis 100 % à
   partir du 1er janvier 2017 — soit 225 %, puis 200 % de la BRSS dans un tableau de garanties qui
   inclut la part Sécu ;
2. elle doit être inférieure d'au moins 20 points de BRSS à celle des médecins adhérents.

Les deux limites s'appliquent ensemble : la plus basse l'emporte (source 002).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .erreurs import ErreurSaisie
from .modele import FRAIS_REELS, Garantie, niveau
from .parametres import parametre

CENT = Decimal(100)


@dataclass(frozen=True, slots=True)
class Plafond:
    """Le niveau maximal (en % de la BRSS, Sécu comprise) et la règle qui le fixe."""

    niveau: Decimal | None  # None : pas de plafond à cette date
    regle: str
    reference: str


def plafond_hors_dptam_detail(niveau_dptam, date: date) -> Plafond:
    """Le plafond d'un contrat responsable pour les médecins non adhérents, avec la limite qui joue."""
    niv = niveau(niveau_dptam, "niveau_dptam")
    depassement = parametre("contrat_responsable.plafond_depassement_hors_dptam", date)
    ecart = parametre("contrat_responsable.ecart_minimal_dptam", date)
    if depassement.valeur is None:
        return Plafond(None, "pas de plafond sur les dépassements avant le 1er avril 2015", depassement.reference)
    limite_1 = CENT + depassement.valeur
    regle = f"limite n° 1 : dépassement pris en charge au plus à {depassement.valeur} % de la BRSS, soit {limite_1} % au total"
    reference = depassement.reference
    if niv != FRAIS_REELS and ecart.valeur is not None:
        # L'écart porte sur la prise en charge des dépassements ; le ticket modérateur (100 %) reste dû.
        limite_2 = max(CENT, niv - ecart.valeur)
        if limite_2 < limite_1:
            regle = (
                f"limite n° 2 : au moins {ecart.valeur} points de BRSS sous le niveau des médecins adhérents "
                f"({niv} % − {ecart.valeur} = {limite_2} %)"
            )
            return Plafond(limite_2, regle, ecart.reference)
    return Plafond(limite_1, regle, reference)


def plafond_hors_dptam(niveau_dptam, date: date) -> Decimal | None:
    """Le niveau le plus haut (en % BRSS, Sécu comprise) qu'un contrat responsable peut verser pour un
    médecin non adhérent à un DPTAM, à la date des soins ; ``None`` avant le 1er avril 2015.

    >>> from datetime import date
    >>> plafond_hors_dptam(150, date(2016, 3, 1))      # source 002, hypothèse 2 : 150 % → 130 %
    Decimal('130')
    >>> plafond_hors_dptam("frais réels", date(2017, 1, 1))
    Decimal('200')
    """
    return plafond_hors_dptam_detail(niveau_dptam, date).niveau


@dataclass(frozen=True, slots=True)
class Controle:
    """Le résultat d'une règle : conforme ou non, pourquoi, et la référence."""

    regle: str
    conforme: bool
    explication: str
    reference: str


@dataclass(frozen=True, slots=True)
class Rapport:
    """Le rapport de conformité d'une garantie à une date : une ligne par règle."""

    date: date
    controles: tuple[Controle, ...]

    @property
    def conforme(self) -> bool:
        return all(c.conforme for c in self.controles)

    def __iter__(self):
        return iter(self.controles)

    def __len__(self):
        return len(self.controles)


def verifier_responsable(garantie: Garantie, date: date) -> Rapport:
    """Contrôle une garantie contre les règles du contrat responsable en vigueur à ``date``.

    Une garantie qui enfreint une règle est signalée (``conforme=False``), pas rejetée.
    """
    if not isinstance(garantie, Garantie):
        raise ErreurSaisie("garantie", f"{type(garantie).__name__} n'est pas une Garantie", "reimb.Garantie(...)")
    controles = []
    tm = parametre("contrat_responsable.ticket_moderateur_minimal", date)
    if tm.valeur is not None:
        for ligne, niv in (("médecins adhérents DPTAM", garantie.dptam), ("médecins non adhérents", garantie.hors_dptam)):
            ok = niv == FRAIS_REELS or niv >= tm.valeur
            controles.append(
                Controle(
                    f"Ticket modérateur couvert ({ligne})",
                    ok,
                    f"niveau {niv} % ≥ {tm.valeur} % de la BRSS" if ok else f"niveau {niv} % < {tm.valeur} % : le ticket modérateur n'est pas entièrement pris en charge",
                    tm.reference,
                )
            )
    plafond = plafond_hors_dptam_detail(garantie.dptam, date)
    if plafond.niveau is not None:
        niv = garantie.hors_dptam
        ok = niv != FRAIS_REELS and niv <= plafond.niveau
        controles.append(
            Controle(
                "Double limite sur les dépassements des médecins non adhérents à un DPTAM",
                ok,
                (f"niveau {niv} % ≤ plafond {plafond.niveau} % ({plafond.regle})" if ok else f"niveau {niv} au-dessus du plafond de {plafond.niveau} % ({plafond.regle})"),
                plafond.reference,
            )
        )
    return Rapport(date, tuple(controles))
