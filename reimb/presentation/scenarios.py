"""L'explorateur de réformes du formateur : changer la participation forfaitaire, le taux de la Sécurité sociale ou
le plafond du contrat responsable, et voir bouger une consultation et l'année d'une entreprise.

Tout passe par :class:`reimb.Scenario` : le même noyau de règles calcule la loi et la réforme imaginée, pour une
consultation (``reimb.decompte``) comme pour une table (``reimb.decompte_lot``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

import ipywidgets as w
import pandas as pd

from ..decompte import decompte
from ..erreurs import ErreurSaisie
from ..lot import decompte_lot
from ..modele import Garantie, Medecin, Patient
from ..parametres import Scenario, parametre
from .format import date_courte, euros, pourcent
from .tableaux import decompte_html
from .widgets import A_EXECUTER, erreur_html

#: Les paramètres que le formateur fait varier : (nom dans la table, libellé, minimum, maximum, pas).
REGLAGES = (
    ("participation_forfaitaire.montant", "Participation forfaitaire (€)", 0.0, 10.0, 0.5),
    ("taux_amo.consultation", "Taux de la Sécurité sociale, consultation (%)", 40.0, 100.0, 5.0),
    ("contrat_responsable.plafond_depassement_hors_dptam",
     "Contrat responsable : dépassement remboursé au plus chez les non-adhérents (% de la BRSS)", 0.0, 200.0, 10.0),
)


def _totaux(r: pd.DataFrame) -> dict[str, Decimal]:
    return {k: Decimal(int(r[f"{k}_centimes"].sum())).scaleb(-2) for k in ("amo", "amc", "reste_a_charge")}


class Explorateur(w.VBox):
    """Trois curseurs (les valeurs de la loi au départ) → une consultation et l'année d'une entreprise, loi et
    réforme côte à côte. ``scenario`` : le :class:`~reimb.Scenario` du dernier calcul (``None`` : la loi)."""

    def __repr__(self) -> str:
        return A_EXECUTER

    def __init__(self, table: pd.DataFrame, jour: date, honoraires="50", medecin: Medecin | None = None,
                 garantie: Garantie | None = None):
        self.table, self.jour, self.honoraires = table, jour, honoraires
        self.medecin = medecin or Medecin(secteur=2, specialite="specialiste")
        self.garantie = garantie or Garantie(dptam=200, hors_dptam=180, responsable=True)
        if "garantie_dptam" not in table.columns:  # tout le monde couvert par la garantie de l'exemple
            table = table.assign(garantie_dptam=self.garantie.dptam, garantie_hors_dptam=self.garantie.hors_dptam,
                                 responsable=self.garantie.responsable)
        self.table = table
        self.loi = {nom: parametre(nom, jour).valeur for nom, *_ in REGLAGES}
        self.controles = {
            nom: w.FloatSlider(value=float(self.loi[nom]), min=mini, max=maxi, step=pas, description=libelle,
                               style={"description_width": "28em"}, layout=w.Layout(width="48em"),
                               readout_format=".1f", continuous_update=False)
            for nom, libelle, mini, maxi, pas in REGLAGES
        }
        self.sortie = w.HTML()
        self.scenario: Scenario | None = None
        self._annee_loi = _totaux(decompte_lot(table, euros=False))
        for c in self.controles.values():
            c.observe(lambda _c: self.recalculer(), names="value")
        super().__init__(children=(*self.controles.values(), self.sortie))
        self.recalculer()

    def recalculer(self) -> None:
        try:
            changements = {nom: Decimal(repr(c.value)) for nom, c in self.controles.items()
                           if Decimal(repr(c.value)) != self.loi[nom]}
            self.scenario = Scenario(changements, depuis=self.jour, nom="réforme du formateur") if changements else None
            d = decompte(honoraires=self.honoraires, date=self.jour, medecin=self.medecin, patient=Patient(age=45),
                         garantie=self.garantie, scenario=self.scenario)
            annee = _totaux(decompte_lot(self.table, euros=False, scenario=self.scenario)) if self.scenario else self._annee_loi
        except ErreurSaisie as e:
            self.sortie.value = erreur_html(e)
            return
        self.decompte, self.annee = d, annee
        lignes = "".join(
            f"<tr><td style='text-align:left;padding:3px 8px'>{libelle}</td>"
            f"<td style='text-align:right;padding:3px 8px'>{escape(euros(self._annee_loi[k]))}</td>"
            f"<td style='text-align:right;padding:3px 8px'>{escape(euros(annee[k]))}</td>"
            f"<td style='text-align:right;padding:3px 8px'>{escape(euros(annee[k] - self._annee_loi[k]))}</td></tr>"
            for k, libelle in (("amo", "Sécurité sociale"), ("amc", "Complémentaire"), ("reste_a_charge", "Salariés"))
        )
        changes = ", ".join(f"{libelle.split(' (')[0]} : {pourcent(v) if '%' in libelle else euros(v)}"
                            for (nom, libelle, *_) in REGLAGES for k, v in (self.scenario.changements.items() if self.scenario else ())
                            if k == nom) or "aucun changement : la loi en vigueur"
        self.sortie.value = (
            f"<p><b>Réforme imaginée à partir du {escape(date_courte(self.jour))}</b> — {escape(changes)}.</p>"
            "<table class='reimb-scenario' style='border-collapse:collapse'><thead><tr><th style='text-align:left;padding:3px 8px'>"
            "L'année de l'entreprise</th><th style='text-align:right;padding:3px 8px'>Loi</th><th style='text-align:right;"
            "padding:3px 8px'>Réforme</th><th style='text-align:right;padding:3px 8px'>Écart</th></tr></thead>"
            f"<tbody>{lignes}</tbody></table><p><b>Une consultation</b> ({escape(self.medecin.libelle)}, "
            f"{escape(euros(Decimal(str(self.honoraires))))}) avec la réforme :</p>" + decompte_html(d)
        )


def explorateur(table: pd.DataFrame, jour: date, **options) -> Explorateur:
    """L'explorateur de réformes : une table de consultations (``reimb.population.population``) et une date."""
    return Explorateur(table, jour, **options)
