"""Les refus d'un décompte, écrits une fois : (champ, condition, message, valeurs acceptées).

Chaque contrôle est évalué sur les valeurs du noyau (:mod:`reimb.regles.noyau`), par le moteur d'une
consultation (le premier contrôle vrai lève une :class:`~reimb.ErreurSaisie`) comme par le calcul par
lot (chaque contrôle marque ses lignes, et le message d'une ligne refusée est écrit par la même
fonction, avec les valeurs de cette ligne). L'ordre de la liste est l'ordre des refus.

Les messages reçoivent une ligne de valeurs Python (centimes entiers, booléens) et l'échelle des
pourcentages ``cent`` ; ils ne sont écrits qu'en cas de refus (Babel n'est pas sur le chemin chaud).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from collections.abc import Callable

from ..montants import euros, taux_court


def _e(centimes) -> str:
    return euros(Decimal(int(centimes)).scaleb(-2))


@dataclass(frozen=True, slots=True)
class Controle:
    """Un refus : le champ en cause, sa condition (``xp``, valeurs) et ses textes pour une ligne.

    ``si`` (facultatif) : une condition préalable que ``condition`` implique (un dépassement facturé) ; le calcul
    par lot n'évalue le contrôle que sur les lignes qui la remplissent, le moteur d'une consultation l'ignore.
    """

    code: str
    champ: str
    condition: Callable
    message: Callable[[dict], str]
    acceptes: Callable[[dict], str]
    si: Callable | None = None


def _depasse(xp, v):
    return v["depassement"] > 0


CONTROLES = (
    Controle(
        "honoraires_sous_la_base",
        "honoraires",
        lambda xp, v: v["honoraires"] < v["brss"],
        lambda v: (
            f"{_e(v['honoraires'])} est inférieur à la base de remboursement ({_e(v['brss'])}) : "
            "un médecin facture au moins la base"
        ),
        lambda v: f"des honoraires ≥ {_e(v['brss'])}",
    ),
    Controle(
        "depassement_css",
        "honoraires",
        lambda xp, v: xp.et(_depasse(xp, v), v["css"], v["conventionne"]),
        lambda v: (
            f"dépassement de {_e(v['depassement'])} facturé à un patient bénéficiaire de la CSS : "
            "les médecins conventionnés lui appliquent les tarifs opposables"
        ),
        lambda v: f"des honoraires égaux à la base ({_e(v['brss'])}) pour un patient CSS",
        si=_depasse,
    ),
    Controle(
        "depassement_secteur_1",
        "honoraires",
        lambda xp, v: xp.et(_depasse(xp, v), xp.non(v["peut_depasser"]), v["pe"]),
        lambda v: (
            f"un médecin de secteur 1 facture le tarif opposable ({_e(v['brss'])}) dans le parcours de soins, "
            f"pas {_e(v['honoraires'])}"
        ),
        lambda v: (
            f"des honoraires de {_e(v['brss'])} ; un dépassement seulement en secteur 2 ou en secteur 1 "
            "avec droit permanent à dépassement"
        ),
        si=_depasse,
    ),
    Controle(
        "da_generaliste",
        "honoraires",
        lambda xp, v: xp.et(_depasse(xp, v), xp.non(v["peut_depasser"]), xp.non(v["pe"]), v["generaliste"]),
        lambda v: "le dépassement autorisé hors parcours est réservé aux spécialistes de secteur 1",
        lambda v: f"des honoraires de {_e(v['brss'])} pour un généraliste de secteur 1",
        si=_depasse,
    ),
    Controle(
        "da_au_dessus_du_maximum",
        "honoraires",
        lambda xp, v: xp.et(
            _depasse(xp, v), xp.non(v["peut_depasser"]), xp.non(v["pe"]), v["honoraires"] > v["da_maximum"]
        ),
        lambda v: (
            "hors parcours, un spécialiste de secteur 1 facture au plus le tarif du parcours de soins "
            f"({_e(v['tarif_parcours'])}) majoré de {taux_court(Decimal(int(v['da'])) * 100 / int(v['cent']))} % "
            f"et arrondi à l'euro supérieur, soit {_e(v['da_maximum'])}"
        ),
        lambda v: f"des honoraires de {_e(v['brss'])} à {_e(v['da_maximum'])}",
        si=_depasse,
    ),
)


def premier_refus(xp, v: dict) -> Controle | None:
    """Le premier contrôle que la consultation ``v`` ne passe pas (moteur d'une consultation)."""
    for c in CONTROLES:
        if c.condition(xp, v):
            return c
    return None
