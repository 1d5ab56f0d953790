"""Les graphiques du cours (matplotlib) : une fonction par sorte de graphique.

Chaque fonction calcule ses chiffres avec ``reimb``, renvoie une ``matplotlib.figure.Figure`` (créée
sans ``pyplot`` : pas d'état global, rien à fermer) et garde ces chiffres dans ``fig.reimb_donnees``
pour qu'un test les compare au moteur. Libellés en français, montants par Babel, couleurs de la
palette d'Okabe et Ito (lisible par les daltoniens).

Dans un notebook, ``%matplotlib inline`` affiche la figure renvoyée par la dernière ligne d'une cellule.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from ..decompte import Decompte, decompte
from ..erreurs import ErreurSaisie
from ..modele import LIBELLES_SPECIALITES, Garantie, Medecin, Patient
from .format import date_courte, euros, niveau, nombre
from .reformes import Evenement, evenements_reformes  # noqa: F401 (réexportés)
from .situations import dptam_a_la_date
from .tableaux import COULEURS, PARTS

#: Okabe & Ito (2008), « Color Universal Design » : huit couleurs distinctes pour tous les yeux.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
#: Couleurs des niveaux de garantie (courbes) : on évite le jaune, peu visible sur fond blanc.
COULEURS_NIVEAUX = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000")


def _euros_axe(x, _pos=None) -> str:
    return f"{nombre(Decimal(repr(round(float(x), 2))))}\u00a0€"


def en_png(fig: Figure, dpi: int = 80) -> bytes:
    """La figure en PNG (pour ``ipywidgets.Image.value``), sans métadonnée variable."""
    tampon = BytesIO()
    fig.savefig(tampon, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return tampon.getvalue()


# --- Barres empilées : AMO / AMC / reste à charge par situation --------------------------------

def barres_parts(scenarios: Mapping[str, Decompte], titre: str = "Qui paie la consultation ?", largeur: float | None = None) -> Figure:
    """Une barre par situation : Sécu (AMO), complémentaire (AMC) et reste à charge, empilés.

    ``fig.reimb_donnees`` : ``{situation: {"amo": Decimal, "amc": Decimal, "reste_a_charge": Decimal}}``.
    """
    noms = list(scenarios)
    donnees = {n: {k: getattr(scenarios[n], k) for k in PARTS} for n in noms}
    fig = Figure(figsize=(largeur or max(5.0, 1.9 * len(noms) + 1.5), 4.2), layout="constrained")
    ax = fig.add_subplot()
    x = range(len(noms))
    bas = [0.0] * len(noms)
    haut_max = max(float(scenarios[n].honoraires) for n in noms) if noms else 1.0
    for cle, libelle in PARTS.items():
        hauteurs = [float(donnees[n][cle]) for n in noms]
        barres = ax.bar(x, hauteurs, bottom=bas, color=COULEURS[cle], label=libelle, width=0.6, edgecolor="white")
        for rect, n in zip(barres, noms):
            valeur = donnees[n][cle]
            if valeur and rect.get_height() >= 0.06 * haut_max:
                ax.text(rect.get_x() + rect.get_width() / 2, rect.get_y() + rect.get_height() / 2, euros(valeur),
                        ha="center", va="center", color="white", fontsize=9, fontweight="bold")
        bas = [b + h for b, h in zip(bas, hauteurs)]
    for i, n in enumerate(noms):
        ax.text(i, bas[i], f"{euros(scenarios[n].honoraires)}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(list(x), [textwrap.fill(n, 18) for n in noms], fontsize=9)
    ax.set_ylabel("Montant")
    ax.yaxis.set_major_formatter(FuncFormatter(_euros_axe))
    ax.set_ylim(0, haut_max * 1.12)
    ax.set_title(titre)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    fig.reimb_donnees = donnees
    return fig


# --- Reste à charge selon les honoraires --------------------------------------------------------

@dataclass(frozen=True)
class Courbe:
    """Les points d'une courbe : un niveau de garantie, un type de médecin, les honoraires et le reste à charge."""

    niveau: Decimal | str
    adherent: bool
    libelle: str
    honoraires: tuple[Decimal, ...]
    reste_a_charge: tuple[Decimal, ...]

    def en(self, honoraires) -> Decimal:
        """Le reste à charge de la courbe pour ces honoraires (``courbe.en(50)``)."""
        return self.reste_a_charge[self.honoraires.index(Decimal(honoraires))]


def courbes_reste_a_charge(jour: date, niveaux: Sequence = (100, 150, 200), honoraires: Sequence | None = None,
                           specialite: str = "specialiste", responsable: bool = True,
                           patient: Patient | None = None) -> list[Courbe]:
    """Le reste à charge selon les honoraires, pour chaque niveau de garantie (même niveau sur les deux
    lignes du tableau de garanties), chez un médecin adhérent au DPTAM de la date et chez un non-adhérent.

    Un contrat responsable est plafonné par le moteur pour les non-adhérents (double limite).
    Les honoraires inférieurs à la base d'un médecin ne sont pas tracés pour lui.
    """
    patient = patient or Patient(age=45)
    grille = [Decimal(h) for h in (honoraires if honoraires is not None else range(23, 121))]
    dptam = dptam_a_la_date(jour)
    courbes = []
    for niv in niveaux:
        g = Garantie(dptam=niv, hors_dptam=niv, responsable=responsable)
        for adherent in (True, False):
            med = Medecin(secteur=2, dptam=dptam if adherent else None, specialite=specialite)
            xs, ys = [], []
            for h in grille:
                try:
                    d = decompte(honoraires=h, date=jour, medecin=med, patient=patient, garantie=g)
                except ErreurSaisie:
                    continue  # honoraires sous la base de ce médecin
                xs.append(d.honoraires)
                ys.append(d.reste_a_charge)
            qui = f"adhérent {dptam}" if adherent else "non adhérent"
            courbes.append(Courbe(g.dptam, adherent, f"Garantie {niveau(g.dptam)}, médecin {qui}", tuple(xs), tuple(ys)))
    return courbes


def reste_a_charge_selon_honoraires(jour: date, niveaux: Sequence = (100, 150, 200), honoraires: Sequence | None = None,
                                    specialite: str = "specialiste", responsable: bool = True,
                                    patient: Patient | None = None) -> Figure:
    """Le reste à charge du patient selon les honoraires, plusieurs niveaux, DPTAM (trait plein) ou non (tirets).

    ``fig.reimb_donnees`` : la liste des :class:`Courbe` tracées, dans l'ordre de ``ax.lines``.
    """
    courbes = courbes_reste_a_charge(jour, niveaux, honoraires, specialite, responsable, patient)
    fig = Figure(figsize=(8, 4.6), layout="constrained")
    ax = fig.add_subplot()
    for i, c in enumerate(courbes):
        couleur = COULEURS_NIVEAUX[(i // 2) % len(COULEURS_NIVEAUX)]
        ax.plot([float(x) for x in c.honoraires], [float(y) for y in c.reste_a_charge], color=couleur,
                linestyle="-" if c.adherent else "--", linewidth=2, label=c.libelle)
    ax.set_xlabel("Honoraires facturés")
    ax.set_ylabel("Reste à charge du patient")
    ax.xaxis.set_major_formatter(FuncFormatter(_euros_axe))
    ax.yaxis.set_major_formatter(FuncFormatter(_euros_axe))
    ax.xaxis.set_major_locator(MultipleLocator(10))
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    resp = "contrat responsable" if responsable else "contrat non responsable"
    spe = LIBELLES_SPECIALITES[specialite]
    ax.set_title(f"Consultation de {spe} en secteur 2 le {date_courte(jour)} — {resp}", fontsize=11)
    ax.legend(loc="upper left", frameon=False, fontsize=8.5)
    fig.reimb_donnees = courbes
    return fig


# --- Frise des réformes ---------------------------------------------------------------------------

def _places(boites, voies):
    """Place chaque boîte (x, largeur, hauteur) au meilleur endroit : une voie (hauteur) et un alignement
    (centrée, à droite ou à gauche de sa tige). Coût : un chevauchement de boîtes est interdit autant que
    possible, une tige qui passe derrière une boîte est tolérée, une voie lointaine coûte un peu.
    Renvoie [(voie, alignement), …]."""
    boites_posees, tiges = [], []
    choix = []

    def recouvrement(r, q):
        dx = min(r[1], q[1]) - max(r[0], q[0])
        dy = min(r[3], q[3]) - max(r[2], q[2])
        return dx * dy if dx > 0 and dy > 0 else 0.0

    for x, largeur, hauteur in boites:
        meilleur = None
        for rang, v in enumerate(voies):
            for ha in ("center", "left", "right"):
                gauche = {"center": x - largeur / 2, "left": x - largeur * 0.08, "right": x - largeur * 0.92}[ha]
                y0, y1 = (v, v + hauteur) if v > 0 else (v - hauteur, v)
                boite, tige = (gauche, gauche + largeur, y0, y1), (x - 1, x + 1, min(0, v), max(0, v))
                cout = (1e6 * sum(recouvrement(boite, q) for q in boites_posees + tiges)
                        + 1e3 * sum(recouvrement(tige, q) > 0 for q in boites_posees)
                        + rang + (0.5 if ha != "center" else 0))
                if meilleur is None or cout < meilleur[0]:
                    meilleur = (cout, v, ha, boite, tige)
        _, v, ha, boite, tige = meilleur
        boites_posees.append(boite)
        tiges.append(tige)
        choix.append((v, ha))
    return choix


def frise_reformes(debut: date = date(2004, 1, 1), fin: date = date(2024, 12, 31)) -> Figure:
    """La frise des réformes, construite à partir des dates de la table des paramètres.

    ``fig.reimb_donnees`` : la liste des :class:`Evenement` (une marque par date, libellés regroupés).
    """
    evenements = evenements_reformes(debut, fin)
    par_date: dict[date, list[str]] = {}
    for e in evenements:
        par_date.setdefault(e.date, []).append(e.libelle)
    largeur_fig, hauteur_fig, taille = 12.0, 7.0, 7.5
    x0, x1 = debut - timedelta(days=250), fin + timedelta(days=250)
    y_min, y_max = -8.0, 8.0
    fig = Figure(figsize=(largeur_fig, hauteur_fig), layout="constrained")
    ax = fig.add_subplot()
    # Taille des boîtes en unités des axes (estimée : 0,6 em par caractère, 1,25 em par ligne).
    jours_par_pouce = (x1 - x0).days / (largeur_fig * 0.95)
    unites_par_pouce = (y_max - y_min) / (hauteur_fig * 0.85)
    textes = [date_courte(j) + "\n" + "\n".join(textwrap.fill(l, 26) for l in ls) for j, ls in par_date.items()]
    boites = []
    for jour, texte in zip(par_date, textes):
        lignes = texte.split("\n")
        largeur = (max(len(l) for l in lignes) * 0.62 * taille / 72 + 0.2) * jours_par_pouce
        hauteur = (len(lignes) * 1.5 * taille / 72 + 0.2) * unites_par_pouce
        boites.append((jour.toordinal(), largeur, hauteur))
    places = _places(boites, (0.6, -0.6, 2.6, -2.6, 4.6, -4.6, 6.2, -6.2))
    # On ne garde que la hauteur utilisée : même échelle verticale, figure plus basse.
    haut = max([v + b[2] for (v, _), b in zip(places, boites) if v > 0] + [1.0]) + 0.4
    bas = min([v - b[2] for (v, _), b in zip(places, boites) if v < 0] + [-1.0]) - 0.4
    fig.set_size_inches(largeur_fig, 1.0 + (hauteur_fig - 1.0) * (haut - bas) / (y_max - y_min))
    y_min, y_max = bas, haut
    for i, ((jour, _), texte, (h, ha)) in enumerate(zip(par_date.items(), textes, places)):
        couleur = OKABE_ITO[(4, 5, 2, 6, 0, 1)[i % 6]]
        ax.vlines(jour, 0, h, color=couleur, linewidth=1)
        ax.plot(jour, 0, "o", color=couleur, markersize=6, zorder=3)
        decalage = {"center": 0, "left": -10, "right": 10}[ha]
        ax.annotate(texte, xy=(jour, h), xytext=(decalage, 0), textcoords="offset points", ha=ha,
                    va="bottom" if h > 0 else "top", fontsize=taille, multialignment="center",
                    bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor=couleur, linewidth=0.8))
    ax.axhline(0, color="#444444", linewidth=1.2)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y_min, y_max)
    ax.yaxis.set_visible(False)
    ax.spines[["left", "top", "right"]].set_visible(False)
    ax.set_title(f"Les réformes de la consultation, {debut.year} → {fin.year} (dates de la table des paramètres)")
    fig.reimb_donnees = evenements
    return fig
