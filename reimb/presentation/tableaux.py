"""Un décompte en tableau français : HTML dans Jupyter, texte ailleurs ; comparaisons avec pandas.

Le HTML d'un décompte est enveloppé dans ``<div class="reimb-decompte" data-…>`` : chaque entrée et
chaque résultat du décompte y figure en attribut, en décimal simple à point (``data-amc="13.80"``),
``""`` pour ``None``. Un test (navigateur ou pytest) peut ainsi reconstruire les entrées, rappeler
``reimb.decompte`` et comparer. Voir :func:`attributs`.

>>> from datetime import date
>>> import reimb
>>> d = reimb.decompte(honoraires="50", date=date(2016, 3, 1),
...                    medecin=reimb.Medecin(secteur=2, specialite="specialiste"),
...                    patient=reimb.Patient(age=45), garantie=reimb.Garantie(dptam=150, hors_dptam=150))
>>> attributs(d)["data-amc"], attributs(d)["data-garantie-dptam"]
('13.80', '150')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from ..decompte import Decompte
from ..evaluation import typo  # la typographie française (espaces insécables), écrite une fois
from ..modele import Garantie
from ..parametres import serie as _serie
from ..responsable import Rapport
from .format import attribut, date_courte, date_longue, euros, niveau, nombre, pourcent

#: Palette d'Okabe et Ito (lisible par les daltoniens), partagée avec les graphiques.
COULEURS = {"amo": "#0072B2", "amc": "#009E73", "reste_a_charge": "#D55E00"}

#: Les libellés des trois parts, partout les mêmes (tableaux, graphiques, widgets).
PARTS = {
    "amo": "Sécurité sociale (AMO)",
    "amc": "Complémentaire (AMC)",
    "reste_a_charge": "Reste à charge",
}

#: Étapes mises en gras : les montants qui répondent à la question du client.
_RESULTATS = {"Remboursement Sécu (AMO)", "Remboursement complémentaire (AMC)", "Complémentaire santé solidaire (CSS)", "Reste à charge du patient"}


@dataclass(frozen=True)
class Affichage:
    """Ce que Jupyter affiche : du HTML ; ailleurs (terminal, nbval), le texte équivalent.

    ``donnees`` : les chiffres derrière l'affichage (un ``DataFrame`` de ``Decimal``, un décompte…),
    pour calculer ou tester sans relire du texte.
    """

    html: str
    texte: str
    donnees: object = None

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.texte

    def __str__(self) -> str:
        return self.texte


# --- Attributs machine ------------------------------------------------------------------------

def _niveau_attr(v) -> str:
    if isinstance(v, Decimal):
        v = v.normalize()
    elif v is not None and not isinstance(v, (str, bool, int, float)):   # une formulation (reimb.formules.Formule)
        v = str(v)
    return attribut(v)


def attributs(d: Decompte) -> dict[str, str]:
    """Les attributs ``data-*`` du contrat HTML : toutes les entrées et tous les résultats du décompte."""
    m, p, g = d.medecin, d.patient, d.garantie
    return {
        "data-date": attribut(d.date),
        "data-honoraires": attribut(d.honoraires),
        "data-brss": attribut(d.brss),
        "data-secteur": attribut(m.secteur),
        "data-droit-permanent": attribut(m.droit_permanent),
        "data-dptam": attribut(m.dptam),
        "data-specialite": attribut(m.specialite),
        "data-age": attribut(p.age),
        "data-css": attribut(p.css),
        "data-ald": attribut(p.ald),
        "data-maternite": attribut(p.maternite),
        "data-parcours": attribut(d.parcours),
        "data-garantie-dptam": _niveau_attr(g.dptam) if g else "",
        "data-garantie-hors-dptam": _niveau_attr(g.hors_dptam) if g else "",
        "data-responsable": attribut(g.responsable) if g else "",
        "data-taux": _niveau_attr(d.taux),
        "data-amo-brut": attribut(d.amo_brut),
        "data-participation-forfaitaire": attribut(d.participation_forfaitaire),
        "data-participation-forfaitaire-reportee": attribut(d.participation_forfaitaire_reportee),
        "data-ticket-moderateur": attribut(d.ticket_moderateur),
        "data-depassement": attribut(d.depassement),
        "data-niveau-applique": _niveau_attr(d.niveau_applique),
        "data-plafond-responsable": attribut(d.plafond_responsable_applique),
        "data-amo": attribut(d.amo),
        "data-amc": attribut(d.amc),
        "data-reste-a-charge": attribut(d.reste_a_charge),
    }


# --- Décompte ---------------------------------------------------------------------------------

def _patient(d: Decompte) -> str:
    p = d.patient
    morceaux = [f"patient de {p.age} ans"]
    morceaux += [txt for flag, txt in ((p.css, "bénéficiaire de la CSS"), (p.ald, "soins liés à une ALD"), (p.maternite, "assurance maternité")) if flag]
    morceaux.append("dans le parcours de soins" if d.parcours else "hors parcours de soins")
    return ", ".join(morceaux)


def _garantie(g: Garantie | None) -> str:
    if g is None:
        return "pas de complémentaire"
    nom = f"« {g.nom} » : " if g.nom else ""
    resp = "contrat responsable" if g.responsable else "contrat non responsable"
    return f"{nom}{niveau(g.dptam)} (médecins adhérents DPTAM et secteur 1), {niveau(g.hors_dptam)} (non adhérents), {resp}"


def titre(d: Decompte) -> str:
    """« Décompte du 1er mars 2016 », la phrase d'en-tête d'un décompte."""
    return f"Décompte du {date_longue(d.date)}"


def contexte(d: Decompte) -> str:
    """Le médecin, le patient et la garantie, en une phrase."""
    return f"{d.medecin.libelle} ; {_patient(d)} ; garantie : {_garantie(d.garantie)}."


def synthese(d: Decompte) -> str:
    """« Sécurité sociale (AMO) : 15,10 € · Complémentaire (AMC) : 13,80 € · Reste à charge : 21,10 € »."""
    return " · ".join(f"{PARTS[k]} : {euros(getattr(d, k))}" for k in PARTS)


def _montant(m) -> str:
    return "" if m is None else euros(m)


def decompte_html(d: Decompte) -> str:
    """Le décompte en tableau HTML français, dans le ``<div class="reimb-decompte" data-…>`` du contrat."""
    attrs = " ".join(f'{k}="{escape(v, quote=True)}"' for k, v in attributs(d).items())
    lignes = []
    for e in d.etapes:
        gras = e.libelle in _RESULTATS
        libelle = f"<b>{escape(e.libelle)}</b>" if gras else escape(e.libelle)
        montant = f"<b>{escape(_montant(e.montant))}</b>" if gras else escape(_montant(e.montant))
        lignes.append(
            f'<tr><td style="text-align:left">{libelle}</td>'
            f'<td style="text-align:right;white-space:nowrap">{montant}</td>'
            f'<td style="text-align:left">{escape(typo(e.regle))}</td>'
            f'<td style="text-align:left;font-size:95%">{escape(typo(e.source))}</td></tr>'
        )
    pastilles = " · ".join(
        f'<span style="border-left:0.8em solid {COULEURS[k]};padding-left:0.3em">{escape(PARTS[k])} : '
        f'<b>{escape(euros(getattr(d, k)))}</b></span>'
        for k in PARTS
    )
    return (
        f'<div class="reimb-decompte" {attrs} style="line-height:1.35">'
        f"<p><b>{escape(titre(d))}</b> — {escape(typo(contexte(d)))}</p>"
        f'<p class="reimb-synthese">{pastilles}</p>'
        '<table class="reimb-etapes">'
        "<thead><tr><th style=\"text-align:left\">Étape</th><th style=\"text-align:right\">Montant</th>"
        "<th style=\"text-align:left\">Règle appliquée</th><th style=\"text-align:left\">Source</th></tr></thead>"
        f"<tbody>{''.join(lignes)}</tbody></table>"
        "</div>"
    )


def decompte_texte(d: Decompte, sources: bool = True) -> str:
    """Le même décompte en texte (terminal, doctest, sortie ``text/plain`` d'un notebook)."""
    largeur = max(len(e.libelle) for e in d.etapes) + 2
    lignes = [titre(d), contexte(d), synthese(d), ""]
    for e in d.etapes:
        lignes.append(f"{e.libelle.ljust(largeur, '.')}{_montant(e.montant).rjust(12)}")
        lignes.append(f"    {e.regle}" + (f" [{e.source}]" if sources else ""))
    return "\n".join(lignes)


def afficher(objet) -> Affichage:
    """Ce qu'un notebook affiche d'un objet de ``reimb`` : décompte, rapport de conformité, engagements
    d'un médecin (CAS / OPTAM), effet de l'adhésion, ``DataFrame``."""
    if isinstance(objet, Decompte):
        return Affichage(decompte_html(objet), decompte_texte(objet), objet)
    if isinstance(objet, Rapport):
        return Affichage(rapport_html(objet), rapport_texte(objet), objet)
    nom = type(objet).__name__
    if nom == "Engagements":
        return Affichage(engagements_html(objet), engagements_texte(objet), objet)
    if nom == "Indicateurs":
        return indicateurs_affichage(objet)
    if nom == "EffetAdhesion":
        return comparaison({f"Médecin adhérent {objet.dispositif}": objet.adherent, "Médecin non adhérent": objet.non_adherent})
    if nom == "TableauGaranties":
        return garanties(objet)
    if hasattr(objet, "to_html") and hasattr(objet, "to_string"):
        return tableau(objet)
    raise TypeError(f"afficher() ne sait pas montrer un objet {nom}")


# --- Contrat responsable : le rapport de conformité --------------------------------------------

def _ligne_controle(c) -> tuple[str, str]:
    return ("✔ conforme" if c.conforme else "✘ non conforme"), c.regle


def _entete_rapport(r: Rapport) -> str:
    verdict = "responsable" if r.conforme else "NON responsable"
    nom = getattr(r, "nom", None)
    sujet = f"« {nom} »" if nom else "la garantie"
    return f"Contrôle du contrat responsable au {date_longue(r.date)} pour {sujet} : {verdict}"


def rapport_texte(r: Rapport, reserves: bool = False) -> str:
    """Le rapport de conformité (``reimb.verifier_responsable``), une règle par ligne, en texte.

    ``reserves`` : ajouter les réserves de la table sur les valeurs utilisées (``Controle.a_verifier``) — pour le
    formateur ; le stagiaire ne les voit pas."""
    lignes = [_entete_rapport(r)]
    for c in r:
        etat, regle = _ligne_controle(c)
        lignes.append(f"{etat:<16}{regle}")
        lignes.append(f"    {c.explication} [{c.reference}]")
        if reserves and c.a_verifier:
            lignes.append(f"    réserve (formateur) : {c.a_verifier}")
    for m in getattr(r, "remarques", ()):
        lignes.append(f"{'non jugé':<16}{m.regle}")
        lignes.append(f"    {m.explication} [{m.reference}]")
    return "\n".join(lignes)


def rapport_html(r: Rapport, reserves: bool = False) -> str:
    """Le rapport de conformité en tableau HTML (``<div class="reimb-rapport" data-conforme=…>``) ; ``reserves`` :
    voir :func:`rapport_texte`."""
    gauche = 'style="text-align:left"'
    lignes = []
    for c in r:
        etat = _ligne_controle(c)[0]
        couleur = COULEURS["amc"] if c.conforme else COULEURS["reste_a_charge"]
        reserve = f"<br><i>Réserve (formateur) : {escape(c.a_verifier)}</i>" if reserves and c.a_verifier else ""
        lignes.append(
            f'<tr><td style="text-align:left;white-space:nowrap;color:{couleur}"><b>{escape(etat)}</b></td>'
            f"<td {gauche}>{escape(c.regle)}</td><td {gauche}>{escape(c.explication)}{reserve}</td>"
            f'<td style="text-align:left;font-size:85%">{escape(c.reference)}</td></tr>'
        )
    for m in getattr(r, "remarques", ()):
        lignes.append(
            f'<tr><td style="text-align:left;white-space:nowrap"><i>non jugé</i></td><td {gauche}>{escape(m.regle)}</td>'
            f'<td {gauche}>{escape(m.explication)}</td><td style="text-align:left;font-size:85%">{escape(m.reference)}</td></tr>'
        )
    entete = escape(_entete_rapport(r)).replace("NON responsable", "<b>NON responsable</b>")
    return (
        f'<div class="reimb-rapport" data-date="{r.date.isoformat()}" data-conforme="{attribut(r.conforme)}" style="line-height:1.35">'
        f"<p>{entete}</p>"
        f"<table><thead><tr><th {gauche}>Résultat</th><th {gauche}>Règle</th><th {gauche}>Explication</th>"
        f"<th {gauche}>Référence</th></tr></thead><tbody>{''.join(lignes)}</tbody></table></div>"
    )


def garanties(t) -> Affichage:
    """Un tableau de garanties (``reimb.TableauGaranties``) tel qu'un courtier le lit : un poste par ligne."""
    import pandas as pd

    from ..garanties import COMBINAISONS, LIGNES, SPECIALITES_TABLEAU

    def oui_non(v):
        return "" if v is None else ("oui" if v else "non")

    lignes = []
    for spe, ligne in t.consultations:
        for cle, libelle in LIGNES.items():
            lignes.append(("Consultations", f"{SPECIALITES_TABLEAU[spe]}, {libelle}", getattr(ligne, cle).texte))
    if t.forfait_journalier is not None:
        duree = f", {t.forfait_journalier_duree_max_jours} jours au plus" if t.forfait_journalier_duree_max_jours else ", sans limitation de durée"
        lignes.append(("Hospitalisation", "forfait journalier", t.forfait_journalier.texte + duree))
    if t.optique is not None:
        o = t.optique
        if o.monture is not None:
            lignes.append(("Optique", "monture, au plus", euros(o.monture)))
        for cle, plafond in o.equipements:
            lignes.append(("Optique", f"équipement, {COMBINAISONS.get(cle, cle)}, au plus", euros(plafond)))
        if o.renouvellement_ans is not None:
            lignes.append(("Optique", "renouvellement (adulte)", f"tous les {o.renouvellement_ans} ans"))
    for poste, champ in (("Optique", "panier_100_sante_optique"), ("Dentaire", "panier_100_sante_dentaire"),
                         ("Audiologie", "panier_100_sante_audiologie")):
        if getattr(t, champ) is not None:
            lignes.append((poste, "panier 100 % Santé sans reste à charge", oui_non(getattr(t, champ))))
    for champ, libelle in (("ticket_moderateur_couvert", "ticket modérateur couvert"),
                           ("participation_forfaitaire_exclue", "participation forfaitaire exclue"),
                           ("franchises_exclues", "franchises médicales exclues"),
                           ("majoration_hors_parcours_exclue", "majoration hors parcours exclue"),
                           ("depassements_hors_parcours_exclus", "dépassements hors parcours exclus")):
        if getattr(t, champ) is not None:
            lignes.append(("Mentions", libelle, oui_non(getattr(t, champ))))
    df = pd.DataFrame(lignes, columns=["Poste", "Ligne", "Garantie"])
    affiche = tableau(df, index=False)
    titre = f"<p><b>{escape(t.nom or 'Tableau de garanties')}</b> — contrat {'déclaré responsable' if t.responsable else 'non responsable'}</p>"
    return Affichage(titre + affiche.html, f"{t.nom or 'Tableau de garanties'}\n{affiche.texte}", t)


# --- Le côté du médecin : engagements CAS / OPTAM ----------------------------------------------

def _lignes_indicateurs(i, e=None) -> list[tuple[str, str]]:
    """Les lignes d'un tableau d'indicateurs (``reimb.optam.Indicateurs``), avec les objectifs si ``e`` est donné."""
    lignes = [
        ("Actes de l'année", f"{i.nombre_actes} (dont {i.nombre_actes_opposables} au tarif opposable)"),
        ("Honoraires facturés", euros(i.honoraires)),
        ("Bases remboursées", euros(i.base_constatee)),
        ("Dépassements constatés (sur les bases remboursées)", euros(i.depassements_constates)),
        ("Taux de dépassement constaté", pourcent(i.taux_depassement_constate)),
        ("Honoraires remboursables (bases du secteur 1)", euros(i.honoraires_remboursables)),
        ("Dépassements recalculés sur ces bases", euros(i.depassements_recalcules)),
        ("Taux moyen de dépassement recalculé", pourcent(i.taux_depassement)),
    ]
    if e is not None:
        lignes.append(("Objectif : taux au plus", pourcent(e.objectif_taux)))
    lignes += [
        ("Part à tarif opposable, en montant", pourcent(i.part_opposable_montant)),
        ("Part à tarif opposable, en nombre d'actes", pourcent(i.part_opposable_nombre)),
    ]
    if e is not None:
        lignes.append(("Objectif : part au moins", pourcent(e.objectif_part) if e.objectif_part is not None else "non fourni"))
    return lignes


def indicateurs_affichage(i) -> Affichage:
    """Les indicateurs d'une activité (``reimb.optam.indicateurs``), sans objectif."""
    lignes = _lignes_indicateurs(i)
    largeur = max(len(k) for k, _ in lignes) + 2
    texte = "\n".join(f"{k.ljust(largeur, '.')} {v}" for k, v in lignes)
    html = ('<table class="reimb-indicateurs" style="line-height:1.35"><tbody>'
            + "".join(f'<tr><td style="text-align:left">{escape(k)}</td><td style="text-align:right">{escape(v)}</td></tr>'
                      for k, v in lignes)
            + "</tbody></table>")
    return Affichage(html, texte, i)


def engagements_texte(e) -> str:
    """Les engagements d'un médecin adhérent (``reimb.optam.evaluer_engagements``), en texte."""
    lignes = _lignes_indicateurs(e.indicateurs, e)
    largeur = max(len(k) for k, _ in lignes) + 2
    texte = [e.verdict, ""] + [f"{k.ljust(largeur, '.')} {v}" for k, v in lignes] + [""] + [f"- {r}" for r in e.raisons]
    return "\n".join(texte)


def engagements_html(e) -> str:
    """Les engagements d'un médecin adhérent, en tableau HTML (``<div class="reimb-engagements" data-…>``)."""
    i = e.indicateurs
    attrs = {
        "data-dispositif": e.dispositif, "data-annee": str(e.annee), "data-respecte": attribut(e.respecte),
        "data-taux-depassement": attribut(i.taux_depassement), "data-part-opposable-montant": attribut(i.part_opposable_montant),
        "data-part-opposable-nombre": attribut(i.part_opposable_nombre), "data-objectif-taux": attribut(e.objectif_taux),
        "data-objectif-part": attribut(e.objectif_part),
    }
    couleur = {True: COULEURS["amc"], False: COULEURS["reste_a_charge"], None: COULEURS["amo"]}[e.respecte]
    lignes = "".join(f'<tr><td style="text-align:left">{escape(k)}</td><td style="text-align:right">{escape(v)}</td></tr>'
                     for k, v in _lignes_indicateurs(e.indicateurs, e))
    raisons = "".join(f"<li>{escape(r)}</li>" for r in e.raisons)
    return (
        f'<div class="reimb-engagements" {" ".join(f"{k}={chr(34)}{escape(v, quote=True)}{chr(34)}" for k, v in attrs.items())}'
        ' style="line-height:1.35">'
        f'<p style="border-left:0.4em solid {couleur};padding-left:0.5em"><b>{escape(e.verdict)}</b></p>'
        f"<table><tbody>{lignes}</tbody></table><ul>{raisons}</ul></div>"
    )


# --- Tableaux pandas --------------------------------------------------------------------------

COLONNES = {
    "honoraires": "Honoraires",
    "brss": "BRSS",
    "taux": "Taux Sécu (%)",
    "amo_brut": "Sécu avant participation forfaitaire",
    "participation_forfaitaire": "Participation forfaitaire",
    "ticket_moderateur": "Ticket modérateur",
    "depassement": "Dépassement",
    "amo": PARTS["amo"],
    "amc": PARTS["amc"],
    "reste_a_charge": PARTS["reste_a_charge"],
}


def tableau(df, index: bool = True) -> Affichage:
    """Un ``DataFrame`` affiché en entier : HTML dans Jupyter, texte complet ailleurs (jamais tronqué)."""
    import pandas as pd

    with pd.option_context("display.max_colwidth", None, "display.width", None, "display.max_columns", None):
        texte = df.to_string(index=index)
    return Affichage(_html_tableau(df, index), texte, df)


_NOMBRE = re.compile(r"^[−\-+]?[\d\s\u00a0\u202f.,]+(\s?[€%]|\u00a0[€%]|\u202f[€%])?( BRSS)?$")


def _html_tableau(df, index: bool) -> str:
    """Le HTML d'un tableau : nombres et montants alignés à droite, textes à gauche (revue du cours, n° 19), un
    seul rang d'en-tête (le nom de l'index, s'il y en a un, en tête de sa colonne)."""

    def cellule(balise: str, valeur, gauche: bool | None = None) -> str:
        texte = "" if valeur is None else str(valeur)
        if gauche is None:
            gauche = not _NOMBRE.match(texte)
        return f"<{balise} style='text-align:{'left' if gauche else 'right'};padding:4px 8px'>{escape(texte)}</{balise}>"

    entete = ([cellule("th", df.index.name or "", True)] if index else []) + [cellule("th", c, True) for c in df.columns]
    lignes = []
    for etiquette, rang in zip(df.index, df.itertuples(index=False), strict=True):
        debut = [cellule("th", etiquette, True)] if index else []
        lignes.append("<tr>" + "".join(debut + [cellule("td", v) for v in rang]) + "</tr>")
    return (f"<table class='reimb-tableau' style='border-collapse:collapse'><thead><tr>{''.join(entete)}</tr></thead>"
            f"<tbody>{''.join(lignes)}</tbody></table>")


COLONNES_PAR_DEFAUT = ("honoraires", "brss", "amo", "amc", "reste_a_charge")


def comparaison(scenarios: Mapping[str, Decompte], colonnes=COLONNES_PAR_DEFAUT) -> Affichage:
    """Plusieurs décomptes côte à côte, un par ligne, en euros à la française.

    ``.donnees`` est le même tableau en ``Decimal`` (``pandas.DataFrame``), pour calculer ou tester.
    """
    import pandas as pd

    chiffres = pd.DataFrame.from_dict(
        {nom: {COLONNES[c]: getattr(d, c) for c in colonnes} for nom, d in scenarios.items()}, orient="index"
    )
    chiffres.index.name = "Situation"
    en_texte = chiffres.copy()
    for c in colonnes:
        col = COLONNES[c]
        en_texte[col] = chiffres[col].map(nombre if c == "taux" else euros)
    affiche = tableau(en_texte)
    return Affichage(affiche.html, affiche.texte, chiffres)


def reformes(debut: date = date(2004, 1, 1), fin: date = date(2026, 12, 31)) -> Affichage:
    """Les réformes lues dans la table des paramètres, une ligne par changement (les mêmes que la frise)."""
    import pandas as pd

    from .reformes import evenements_reformes

    evenements = evenements_reformes(debut, fin)
    df = pd.DataFrame([{"Date": date_courte(e.date), "Changement": e.libelle} for e in evenements])
    affiche = tableau(df, index=False)
    return Affichage(affiche.html, affiche.texte, evenements)


def bases(jour: date, specialite: str = "specialiste", acte: str = "consultation") -> Affichage:
    """La base de remboursement d'une consultation pour chaque sorte de médecin, à une date, avec sa composition.

    Pour un médecin qui peut dépasser (secteur 1 DP, secteur 2 non adhérent), la base est celle d'une
    consultation *avec dépassement*. ``.donnees`` : ``{libellé du médecin: reimb.Base}``.
    """
    import pandas as pd

    from ..tarifs import CATEGORIES, brss
    from .situations import SECTEURS, medecin

    lignes, donnees = [], {}
    for libelle, cle in SECTEURS:
        b = brss(acte, medecin(cle, specialite, jour), jour)
        donnees[libelle] = b
        lignes.append({"Médecin": libelle, "BRSS": euros(b.valeur), "Composition": b.detail,
                       "Pourquoi": CATEGORIES[b.categorie], "Source": b.reference})
    affiche = tableau(pd.DataFrame(lignes), index=False)
    return Affichage(affiche.html, affiche.texte, donnees)


def plafonds(niveaux_dptam=(100, 150, 200, "frais réels"), dates=(date(2015, 3, 31), date(2016, 3, 1), date(2017, 1, 1))) -> Affichage:
    """Le plafond d'un contrat responsable chez les médecins non adhérents, selon le niveau chez les adhérents
    et la date, avec la limite qui joue (``reimb.responsable.plafond_hors_dptam_detail``).

    ``.donnees`` : ``{(niveau, date): Plafond}``.
    """
    import pandas as pd

    from ..modele import niveau as lire_niveau
    from ..responsable import plafond_hors_dptam_detail

    lignes, donnees = [], {}
    for n in niveaux_dptam:
        ligne = {"Garantie chez les adhérents": niveau(lire_niveau(n, "niveau_dptam"))}
        for jour in dates:
            p = plafond_hors_dptam_detail(n, jour)
            donnees[(n, jour)] = p
            if p.niveau is None:
                texte = "pas de plafond"
            elif p.niveau == 100 and p.limite == 2:
                texte = f"{pourcent(p.niveau)} (le ticket modérateur reste dû)"
            else:
                texte = f"{pourcent(p.niveau)} (limite n° {p.limite})"
            ligne[f"Plafond non-adhérents le {date_courte(jour)}"] = texte
        lignes.append(ligne)
    affiche = tableau(pd.DataFrame(lignes), index=False)
    return Affichage(affiche.html, affiche.texte, donnees)


def dispositifs() -> Affichage:
    """Les dispositifs de pratique tarifaire maîtrisée (CAS, OPTAM, OPTAM-CO) et leurs périodes, depuis la table."""
    import pandas as pd

    from ..modele import DPTAM
    from ..parametres import periode

    lignes = []
    for nom in DPTAM:
        debut, fin, description, reference = periode(f"dptam.{nom}")
        lignes.append({"Dispositif": nom, "Nom complet": description, "Du": date_courte(debut),
                       "Au": date_courte(fin) if fin else "", "Référence": reference})
    affiche = tableau(pd.DataFrame(lignes), index=False)
    return Affichage(affiche.html, affiche.texte, lignes)


def serie(nom: str, depuis: date | None = None) -> Affichage:
    """Les valeurs datées d'un paramètre de la loi (``"participation_forfaitaire.montant"``), avec leurs sources.

    ``.donnees`` : la liste des :class:`reimb.parametres.Valeur`.
    """
    import pandas as pd

    valeurs = [v for v in _serie(nom) if depuis is None or v.fin is None or v.fin >= depuis]
    lignes = []
    for v in valeurs:
        if v.valeur is None:
            valeur = "aucun"
        elif v.unite == "EUR":
            valeur = euros(v.valeur)
        elif v.unite.startswith("%"):
            valeur = pourcent(v.valeur) + v.unite[1:]          # « 125 % BRSS »
        elif v.unite.startswith("points"):
            valeur = f"{nombre(v.valeur)} points"
        else:
            valeur = f"{v.valeur} {v.unite}".strip()
        lignes.append({
            "Du": date_courte(v.debut),
            "Au": date_courte(v.fin) if v.fin else "",
            "Valeur": valeur,
            "Référence": v.reference,
        })
    affiche = tableau(pd.DataFrame(lignes), index=False)
    return Affichage(affiche.html, affiche.texte, valeurs)
