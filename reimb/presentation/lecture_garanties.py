"""Lire et comparer des tableaux de garanties : tableaux et widgets du notebook 08.

Même règles que :mod:`reimb.presentation.widgets` : chaque rappel recalcule avec ``reimb`` et affecte
``HTML.value`` ; une saisie refusée affiche le message français de l'``ErreurSaisie`` ; jamais d'``Output``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path

import ipywidgets as w

from ..erreurs import ErreurSaisie
from ..exemples import Acte, _decompter, comparer_garanties, exemples, exemples_remboursement
from ..formules import lire_formule
from ..garanties import charger_garanties
from ..modele import Garantie, Medecin, Patient
from .format import date_longue, decimal_saisi, euros
from .tableaux import COULEURS, PARTS, Affichage
from .widgets import A_EXECUTER, STYLE, STYLE_BOUTONS, Boite, apres_derniere_frappe, erreur_html

JOUR = date(2025, 3, 1)
DONNEES = Path(__file__).resolve().parent.parent / "donnees"

#: Les médecins des exemples de lecture : (libellé, médecin, dépense typique de la fiche d'exemples).
MEDECINS = {
    "optam": ("Spécialiste adhérent OPTAM", Medecin(secteur=2, dptam="OPTAM", specialite="specialiste")),
    "non_optam": ("Spécialiste non adhérent", Medecin(secteur=2, specialite="specialiste")),
    "generaliste": ("Généraliste secteur 1", Medecin(secteur=1)),
}


def contrats_exemple() -> dict:
    """Les deux contrats d'exemple du cours : « Confort » (niveaux Sécurité sociale comprise) et « Sérénité »
    (niveaux « RO + … » et « % TM »)."""
    return {
        "Confort": charger_garanties(DONNEES / "garanties_exemple.toml"),
        "Sérénité": charger_garanties(DONNEES / "garanties_serenite.toml"),
    }


def _tableau_html(entetes, lignes, classe="reimb-tableau") -> str:
    th = "".join(f'<th style="text-align:{"left" if i == 0 else "right"}">{escape(e)}</th>' for i, e in enumerate(entetes))
    corps = "".join(
        "<tr>" + "".join(f'<td style="text-align:{"left" if i == 0 else "right"}{";white-space:nowrap" if i else ""}">{c}</td>'
                         for i, c in enumerate(l)) + "</tr>"
        for l in lignes
    )
    return f'<table class="{classe}"><thead><tr>{th}</tr></thead><tbody>{corps}</tbody></table>'


def _texte(entetes, lignes) -> str:
    return "\n".join(" | ".join(str(c) for c in l) for l in [entetes, *lignes])


def _une_consultation(texte: str, medecin: Medecin, depense: Decimal, jour: date, deja: dict | None = None) -> dict:
    g = Garantie(dptam=texte, hors_dptam=texte, responsable=False)
    acte = Acte(libelle="", medecin=medecin, patient=Patient(age=40), depense=depense)
    return _decompter(acte, g, jour, {} if deja is None else deja)


def formulations(textes=("100 % BR", "150 % BR", "200 % BR", "RO + 100 % BR", "100 % TM", "100 % BR + 20 €", "frais réels"),
                 medecin: str = "optam", depense="54", jour: date = JOUR) -> Affichage:
    """Une consultation, plusieurs formulations : ce que chacune veut dire et ce qu'elle paie."""
    import pandas as pd

    lib, m = MEDECINS[medecin]
    dep = decimal_saisi(str(depense), "depense")
    lignes, donnees = [], []
    for t in textes:
        f = lire_formule(t)
        r = _une_consultation(t, m, dep, jour)
        lignes.append((f"« {escape(t)} »", escape(f.libelle), euros(r["amc"]), euros(r["reste_a_charge"])))
        donnees.append({"formulation": t, "sens": f.libelle, "amc": r["amc"], "reste_a_charge": r["reste_a_charge"]})
    entetes = ("Formulation du tableau", "Ce que cela veut dire", PARTS["amc"], PARTS["reste_a_charge"])
    titre = (f"<p><b>{escape(lib)}, {euros(dep)}, le {date_longue(jour)}</b> — Sécurité sociale : "
             f"{euros(r['amo'])} (base {euros(r['brss'])})</p>")
    texte_lignes = [(f"« {t} »", d["sens"], euros(d["amc"]), euros(d["reste_a_charge"])) for t, d in zip(textes, donnees)]
    return Affichage(titre + _tableau_html(entetes, lignes), _texte(entetes, texte_lignes), pd.DataFrame(donnees))


def lire_formulation_interactif(texte: str = "RO + 100 % BR", medecin: str = "optam", depense: str = "54",
                                jour: date = JOUR) -> w.VBox:
    """Une formulation saisie, un médecin, une dépense : la lecture de reimb et le décompte."""
    controles = {
        "texte": w.Text(value=texte, description="Formulation du tableau", continuous_update=False, style=STYLE,
                        layout=w.Layout(width="42em")),
        "medecin": w.ToggleButtons(options=[(lib, cle) for cle, (lib, _) in MEDECINS.items()], value=medecin,
                                   description="Médecin", style=STYLE_BOUTONS),
        "depense": w.Text(value=depense, description="Honoraires (€)", continuous_update=False, style=STYLE),
    }
    sortie = w.HTML()

    def calcul(_=None):
        try:
            f = lire_formule(controles["texte"].value, "formulation")
            lib, m = MEDECINS[controles["medecin"].value]
            dep = decimal_saisi(controles["depense"].value, "honoraires")
            r = _une_consultation(controles["texte"].value, m, dep, jour)
        except ErreurSaisie as e:
            sortie.value = erreur_html(e)
            return
        limite = {"principe_indemnitaire": " — limité à la dépense laissée par la Sécurité sociale (principe indemnitaire)",
                  "plafond_annuel": " — limité par le plafond annuel"}.get(r["limite"], "")
        sortie.value = (
            f'<div class="reimb-formulation" data-amc="{r["amc"]}" data-reste-a-charge="{r["reste_a_charge"]}" style="line-height:1.5">'
            f"<p>reimb lit : <b>{escape(f.libelle)}</b>.</p>"
            f"<p>{escape(lib)}, {euros(dep)} le {date_longue(jour)} : base {euros(r['brss'])}.</p>"
            f'<p><span style="border-left:0.8em solid {COULEURS["amo"]};padding-left:0.3em">{PARTS["amo"]} : <b>{euros(r["amo"])}</b></span> · '
            f'<span style="border-left:0.8em solid {COULEURS["amc"]};padding-left:0.3em">{PARTS["amc"]} : <b>{euros(r["amc"])}</b>{escape(limite)}</span> · '
            f'<span style="border-left:0.8em solid {COULEURS["reste_a_charge"]};padding-left:0.3em">{PARTS["reste_a_charge"]} : <b>{euros(r["reste_a_charge"])}</b></span></p></div>'
        )

    for c in controles.values():
        c.observe(calcul, names="value")
    calcul()
    boite = Boite([controles["texte"], controles["medecin"], controles["depense"], sortie])
    boite.controles, boite.sortie = controles, sortie
    return boite


def exemples_cote_a_cote(contrats: dict | None = None, jour: date = JOUR) -> Affichage:
    """Les exemples de remboursement en euros de plusieurs contrats, côte à côte (complémentaire et reste à charge)."""
    import pandas as pd

    contrats = contrats or contrats_exemple()
    tables = {nom: exemples_remboursement(t, jour) for nom, t in contrats.items()}
    premiere = next(iter(tables.values()))
    entetes = ["Consultation", "Dépense", "Sécurité sociale"] + [f"{n} : {c}" for n in tables for c in ("complémentaire", "reste à charge")]
    lignes, texte = [], []
    for i in range(len(premiere)):
        base = premiere.iloc[i]
        cellules = [escape(base["libelle"]), euros(base["depense"]), euros(base["amo"])]
        for df in tables.values():
            cellules += [euros(df.iloc[i]["amc"]), euros(df.iloc[i]["reste_a_charge"])]
        lignes.append(cellules)
        texte.append([base["libelle"], *[c.replace("\u00a0", " ") for c in cellules[1:]]])
    pied = f'<p style="font-size:85%">Prix typiques : {escape(premiere.attrs["source"])}. Calculs au {date_longue(jour)}.</p>'
    donnees = pd.concat(tables, names=["contrat", "ligne"])
    return Affichage(_tableau_html(entetes, lignes) + pied, _texte(entetes, texte), donnees)


def _totaux_html(c) -> str:
    t = c.totaux
    meilleur = t["reste_a_charge"].min()
    lignes = [[("<b>" + escape(str(n)) + "</b>") if l["reste_a_charge"] == meilleur else escape(str(n)),
               euros(l["depense"]), euros(l["amo"]), euros(l["amc"]), euros(l["reste_a_charge"])] for n, l in t.iterrows()]
    return _tableau_html(("Contrat", "Dépense", PARTS["amo"], PARTS["amc"], PARTS["reste_a_charge"]), lignes)


def comparaison_interactive(contrats: dict | None = None, jour: date = JOUR, fichier: str = "fiche_client.pdf") -> w.VBox:
    """Le nombre de consultations du client dans l'année → les totaux de chaque contrat, et la fiche PDF."""
    contrats = contrats or contrats_exemple()
    par_cle = {a.cle: a for a in exemples()}
    cles = ("generaliste_secteur1", "specialiste_optam", "specialiste_non_optam")
    controles = {
        cle: w.BoundedIntText(value=v, min=0, max=52, description=f"{par_cle[cle].libelle} ({euros(par_cle[cle].depense)})",
                              style=STYLE, layout=w.Layout(width="42em"))
        for cle, v in zip(cles, (3, 1, 1))
    }
    bouton = w.Button(description="Préparer la fiche client (PDF)", button_style="primary")
    sortie, lien = w.HTML(), w.HTML()
    boite = Boite([*controles.values(), sortie, bouton, lien])
    boite.controles, boite.sortie, boite.lien, boite.comparaison = controles, sortie, lien, None

    def calcul(_=None):
        profil = [{"exemple": cle, "nombre": c.value} for cle, c in controles.items() if c.value]
        lien.value = ""
        try:
            boite.comparaison = comparer_garanties(contrats, profil, jour)
        except ErreurSaisie as e:
            boite.comparaison = None
            sortie.value = erreur_html(e)
            return
        sortie.value = f'<div class="reimb-comparaison">{_totaux_html(boite.comparaison)}</div>'

    def fiche(_b=None):
        if boite.comparaison is None:
            return
        chemin = boite.comparaison.pdf(Path(fichier))
        lien.value = (f'<p>Fiche écrite : <a href="{escape(chemin.name)}" target="_blank">{escape(chemin.name)}</a> '
                      "(une page A4, à imprimer ou à envoyer au client).</p>")

    for c in controles.values():
        c.observe(calcul, names="value")
    bouton.on_click(fiche)
    boite.fiche = fiche
    calcul()
    return boite


class QuestionMontant(w.VBox):
    """Une question à réponse en euros : la correction n'est proposée qu'après une première réponse."""

    def __repr__(self) -> str:
        return A_EXECUTER

    def __init__(self, enonce: str, attendu: Decimal, correction: str):
        self.attendu, self.texte_correction = attendu, correction
        self.reponse = w.Text(value="", placeholder="en euros, par ex. 12,50", description="Votre réponse, en €",
                              continuous_update=True, style=STYLE)
        self.verifier = w.Button(description="Vérifier", button_style="primary")
        self.correction = w.Button(description="Voir la correction", disabled=True)
        self.sortie = w.HTML("<i>Saisissez votre réponse en euros, puis cliquez sur « Vérifier ».</i>")
        self.verifier.on_click(lambda _b: apres_derniere_frappe(self.corriger, self.verifier, self.sortie))
        self.correction.on_click(lambda _b: self.montrer_correction())
        super().__init__(children=(w.HTML(f'<div class="reimb-question" style="line-height:1.4;margin-bottom:0.4em">{enonce}</div>'),
                                   self.reponse, w.HBox([self.verifier, self.correction]), self.sortie))

    def corriger(self) -> bool | None:
        try:
            r = decimal_saisi(self.reponse.value, "réponse")
        except ErreurSaisie as e:
            self.sortie.value = erreur_html(e)
            return None
        self.correction.disabled = False
        if r == self.attendu:
            self.sortie.value = ('<div class="reimb-correction" data-juste="true" style="border-left:0.4em solid #009E73;padding:0.3em 0.6em">'
                                 f"<b>✔ Exact.</b> {self.texte_correction}</div>")
            return True
        self.sortie.value = ('<div class="reimb-correction" data-juste="false" style="border-left:0.4em solid #D55E00;padding:0.3em 0.6em">'
                             f"<b>✘ Pas tout à fait</b> : {escape(euros(r))} n'est pas le bon montant. Relisez la formulation, "
                             "puis réessayez ou cliquez sur « Voir la correction ».</div>")
        return False

    def montrer_correction(self) -> None:
        if self.correction.disabled:
            return
        self.sortie.value = ('<div class="reimb-correction" style="border-left:0.4em solid #0072B2;padding:0.3em 0.6em">'
                             f"<b>Correction : {escape(euros(self.attendu))}.</b> {self.texte_correction}</div>")


def exercices(jour: date = JOUR) -> list[QuestionMontant]:
    """Les exercices du notebook : les montants attendus sont calculés par reimb, jamais écrits à la main."""
    optam, non_optam = MEDECINS["optam"][1], MEDECINS["non_optam"][1]
    q1 = _une_consultation("RO + 100 % BR", optam, Decimal("80"), jour)
    q2 = _une_consultation("100 % TM", non_optam, Decimal("67"), jour)
    deja: dict = {}
    _une_consultation("RO + 100 % BR dans la limite de 50 € par an", optam, Decimal("54"), jour, deja)
    q3 = _une_consultation("RO + 100 % BR dans la limite de 50 € par an", optam, Decimal("54"), jour, deja)
    return [
        QuestionMontant(
            "<b>Exercice 1.</b> Le contrat de Mme Martin écrit « RO + 100 % BR » pour les spécialistes. Elle consulte un "
            f"spécialiste adhérent OPTAM qui facture 80 € (base {euros(q1['brss'])}). Combien lui verse sa complémentaire ?",
            q1["amc"],
            f"« RO + 100 % BR » : 100 % de la base, {euros(q1['brss'])}, <i>en plus</i> de la Sécurité sociale "
            f"({euros(q1['amo'])} après la participation forfaitaire). La dépense laissée par la Sécurité sociale est plus grande : "
            f"rien ne limite ce montant. Reste à charge : {euros(q1['reste_a_charge'])}."),
        QuestionMontant(
            "<b>Exercice 2.</b> M. Bernard a un contrat « 100 % TM ». Il consulte un spécialiste secteur 2 non adhérent qui "
            "facture 67 €. Combien lui verse sa complémentaire ?",
            q2["amc"],
            f"Le ticket modérateur est la base ({euros(q2['brss'])}) moins le remboursement de la Sécurité sociale avant "
            f"participation forfaitaire : la complémentaire paie {euros(q2['amc'])}, rien du dépassement. "
            f"Reste à charge : {euros(q2['reste_a_charge'])}."),
        QuestionMontant(
            "<b>Exercice 3.</b> Le contrat écrit « RO + 100 % BR dans la limite de 50 € par an ». Deuxième consultation de "
            "l'année chez un spécialiste adhérent OPTAM à 54 € (la première, au même prix, a été remboursée selon le contrat). "
            "Combien verse la complémentaire pour cette deuxième consultation ?",
            q3["amc"],
            f"La première consultation a reçu 100 % × {euros(q3['brss'])} ; il ne restait que la différence avec 50 € "
            f"sur le plafond annuel : {euros(q3['amc'])}. Reste à charge : {euros(q3['reste_a_charge'])}."),
    ]
