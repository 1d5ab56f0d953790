"""Le relevé de remboursement sur une ligne, comme sur un décompte ameli ou un relevé de complémentaire.

Le décompte étape par étape (:func:`reimb.presentation.afficher`) est la *preuve* ; le relevé est ce que le client
reçoit : Date, Acte, Dépense, Base, Taux, Sécu, PF, Complémentaire, Reste. Les deux viennent du même
``reimb.decompte`` : ils ne peuvent pas se contredire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from ..decompte import Decompte
from ..decompte import retenue_differee as calculer_retenue
from .format import date_courte, euros, pourcent
from .tableaux import Affichage

COLONNES = ("Date", "Acte", "Dépense", "Base", "Taux", "Sécu", "PF", "Complémentaire", "Reste")
_TITRES = {
    "Dépense": "honoraires facturés",
    "Base": "base de remboursement de la Sécurité sociale (BRSS)",
    "Taux": "taux de remboursement de la Sécurité sociale",
    "Sécu": "versé par la Sécurité sociale (participation forfaitaire déduite)",
    "PF": "participation forfaitaire retenue",
    "Complémentaire": "versé par la complémentaire santé",
    "Reste": "reste à charge du patient",
}


def _ligne(acte: str, d: Decompte) -> dict[str, str]:
    return {
        "Date": date_courte(d.date),
        "Acte": acte,
        "Dépense": euros(d.honoraires),
        "Base": euros(d.brss),
        "Taux": pourcent(d.taux),
        "Sécu": euros(d.amo),
        "PF": euros(d.participation_forfaitaire),
        "Complémentaire": euros(d.amc),
        "Reste": euros(d.reste_a_charge),
    }


def releve(decomptes: Mapping[str, Decompte] | Sequence[Decompte] | Decompte) -> Affichage:
    """Un relevé d'une ligne par consultation : ``{libellé de l'acte: décompte}``, une liste, ou un décompte seul
    (l'acte est alors décrit par le médecin).

    >>> from datetime import date
    >>> import reimb
    >>> d = reimb.decompte(honoraires="30", date=date(2026, 3, 2), medecin=reimb.Medecin(secteur=1),
    ...                    garantie=reimb.Garantie(dptam=100, hors_dptam=100))
    >>> print(str(releve({"Consultation du généraliste (G)": d})).replace("\xa0", " ").replace("\u202f", " "))
    Date | Acte | Dépense | Base | Taux | Sécu | PF | Complémentaire | Reste
    02/03/2026 | Consultation du généraliste (G) | 30,00 € | 30,00 € | 70 % | 19,00 € | 2,00 € | 9,00 € | 2,00 €
    """
    if isinstance(decomptes, Decompte):
        decomptes = [decomptes]
    if not isinstance(decomptes, Mapping):
        decomptes = {d.medecin.libelle: d for d in decomptes}
    lignes = [_ligne(acte, d) for acte, d in decomptes.items()]
    entete = "".join(
        f"<th title='{escape(_TITRES.get(c, c))}' style='text-align:{'left' if c == 'Acte' else 'right'};padding:4px 8px'>{c}</th>"
        for c in COLONNES
    )
    corps = "".join(
        "<tr>" + "".join(
            f"<td style='text-align:{'left' if c == 'Acte' else 'right'};padding:4px 8px;white-space:nowrap'>{escape(ligne[c])}</td>"
            for c in COLONNES
        ) + "</tr>"
        for ligne in lignes
    )
    html = f"<table class='reimb-releve' style='border-collapse:collapse'><thead><tr>{entete}</tr></thead><tbody>{corps}</tbody></table>"
    texte = "\n".join([" | ".join(COLONNES)] + [" | ".join(ligne[c] for c in COLONNES) for ligne in lignes])
    return Affichage(html, texte, decomptes)


def retenue_differee(d: Decompte, participations_en_attente: int) -> Affichage:
    """Le « j'ai payé 30 €, on ne m'a remboursé que 15 € », affiché : les participations forfaitaires de consultations
    faites en tiers payant (le patient n'a rien avancé) n'ont pas pu être retenues ce jour-là ; l'Assurance
    maladie les retient sur un remboursement suivant (décret n° 2004-1453, art. D.322-3 ; service-public A18033).
    Le calcul est celui de la bibliothèque (:func:`reimb.retenue_differee`) ; ``donnees`` : le montant versé.

    >>> from datetime import date
    >>> import reimb
    >>> d = reimb.decompte(honoraires="30", date=date(2026, 3, 2), medecin=reimb.Medecin(secteur=1))
    >>> retenue_differee(d, 2).donnees
    Decimal('15.00')
    """
    r = calculer_retenue(d, participations_en_attente)
    lignes = [
        ("Remboursement de la Sécurité sociale pour cette consultation", r.amo_brut),
        ("Participation forfaitaire de cette consultation", -r.participation),
        (f"Participations forfaitaires de {r.participations_en_attente} consultation(s) en tiers payant, retenues maintenant", -r.retenue),
        ("Versé sur le compte du patient", r.verse),
    ]
    if r.reste_en_attente:
        lignes.append(("Participations forfaitaires encore en attente, retenues sur un remboursement suivant", r.reste_en_attente))
    html = "<table class='reimb-retenue' style='border-collapse:collapse'>" + "".join(
        f"<tr><td style='text-align:left;padding:3px 8px'>{escape(t)}</td>"
        f"<td style='text-align:right;padding:3px 8px;white-space:nowrap'>{'<b>' if i == 3 else ''}{escape(euros(m))}{'</b>' if i == 3 else ''}</td></tr>"
        for i, (t, m) in enumerate(lignes)
    ) + "</table>"
    texte = "\n".join(f"{t} : {euros(m)}" for t, m in lignes)
    return Affichage(html, texte, r.verse)
