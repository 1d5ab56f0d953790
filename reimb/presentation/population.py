"""Comparer des garanties sur une population (notebook 05) : agrégats, graphiques, widget.

Tout part de :func:`reimb.decompte_lot` : les montants sont des centimes entiers, additionnés en
entiers, puis montrés en euros à la française par :func:`reimb.montants.euros` (Babel). Chaque tableau
est un :class:`~reimb.presentation.tableaux.Affichage` dont ``.donnees`` garde les chiffres exacts
(``Decimal``) ; chaque figure garde les siens dans ``fig.reimb_donnees`` : un test les compare au calcul.

Le widget (:func:`comparateur`) suit les règles de la maison : ses rappels **affectent**
``HTML.value`` (le tableau) et ``Image.value`` (l'histogramme en PNG) — pas d'``interact`` ni
d'``Output``, qui échouent sous nbval strict.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import ipywidgets as w
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..lot import decompte_lot
from ..montants import arrondi, euros, nombre  # noqa: F401 (euros réexporté pour les tests et le notebook)
from ..modele import LIBELLES_SPECIALITES
from ..responsable import plafond_hors_dptam
from .format import date_courte, pourcent
from .graphiques import COULEURS_NIVEAUX
from .tableaux import PARTS, Affichage, tableau

__all__ = [
    "NIVEAUX", "TYPES_MEDECIN", "Comparateur", "apercu", "lignes", "niveaux", "barres_types", "comparateur", "comparer",
    "cout_plafonds", "exemple_plafonne", "histogramme", "par_type", "reste_par_personne", "totaux", "type_medecin",
]

#: Trois niveaux de garantie (% de la BRSS, Sécu comprise) : (médecins adhérents et secteur 1, non adhérents).
#: Le même chiffre sur les deux lignes : c'est le contrat responsable qui ramène la seconde à son plafond.
NIVEAUX = {"Essentiel": (100, 100), "Confort": (200, 200), "Premium": (300, 300)}

#: Les types de médecin du cours, dans l'ordre d'affichage.
TYPES_MEDECIN = (
    "Secteur 1",
    "Adhérent DPTAM (CAS, OPTAM)",
    "Non adhérent (secteur 2 ou secteur 1 DP)",
    "Non conventionné",
)
_COULEURS_TYPES = ("#0072B2", "#009E73", "#D55E00", "#CC79A7")  # Okabe et Ito
_STYLES = ("-", "--", ":", "-.")


def _euros(centimes) -> Decimal:
    """Des centimes entiers en euros exacts : 1860 → Decimal('18.60')."""
    return Decimal(int(centimes)).scaleb(-2)


def _euros_axe(x, _pos=None) -> str:
    return euros(arrondi(Decimal(repr(float(x)))))


def type_medecin(table: pd.DataFrame) -> pd.Categorical:
    """Le type de médecin de chaque consultation (voir :data:`TYPES_MEDECIN`)."""
    secteur = table["secteur"].to_numpy()
    dp = table["droit_permanent"].to_numpy(dtype=bool) if "droit_permanent" in table else np.zeros(len(table), bool)
    adherent = table["dptam"].notna().to_numpy() if "dptam" in table else np.zeros(len(table), bool)
    rang = np.select(
        [secteur == 3, adherent, (secteur == 1) & ~dp],
        [3, 1, 0],
        default=2,
    )
    return pd.Categorical.from_codes(rang, categories=list(TYPES_MEDECIN))


def apercu(table: pd.DataFrame) -> Affichage:
    """La population en quelques chiffres : personnes, consultations, répartition par type de médecin."""
    salaries = int((table.drop_duplicates("personne")["lien"] == "salarié").sum()) if "lien" in table else None
    lignes = {
        "Personnes ayant consulté": table["personne"].nunique(),
        "dont salariés": salaries,
        "Consultations": len(table),
        "dont généralistes": int((table["specialite"] == "generaliste").sum()),
        "Patients de moins de 18 ans (consultations)": int((table["age"] < 18).sum()),
        "Consultations en rapport avec une ALD": int(table["ald"].sum()),
        "Consultations hors parcours de soins": int((~table["parcours"]).sum()),
    }
    types = type_medecin(table)
    for t in TYPES_MEDECIN:
        lignes[f"Consultations : {t}"] = int((types == t).sum())
    df = pd.DataFrame({"Nombre": pd.Series(lignes, dtype=object)})
    df.index.name = "Population synthétique"
    affiche = tableau(df.map(lambda v: "" if v is None else nombre(v)))
    return Affichage(affiche.html, affiche.texte, df)


_OUI_NON = {True: "oui", False: "non"}
_SECTEURS = {1: "1", 2: "2", 3: "non conventionné"}


def lignes(table: pd.DataFrame, n: int = 4) -> Affichage:
    """Les ``n`` premières consultations de la table, lisibles par un stagiaire : en-têtes en français,
    « oui / non », dates et euros à la française. ``.donnees`` garde la table brute (celle du calcul)."""
    brut = table.head(n)
    vue = pd.DataFrame({
        "Personne": brut["personne"],
        "Âge": brut["age"],
        "Date": [date_courte(d.date()) for d in pd.to_datetime(brut["date"])],
        "Médecin": [LIBELLES_SPECIALITES[s] for s in brut["specialite"]],
        "Secteur": [_SECTEURS[int(s)] + (" DP" if dp else "") for s, dp in zip(brut["secteur"], brut.get("droit_permanent", [False] * len(brut)))],
        "DPTAM": ["—" if pd.isna(d) else d for d in brut["dptam"]],
        "Parcours": [_OUI_NON[bool(v)] for v in brut["parcours"]],
        "ALD": [_OUI_NON[bool(v)] for v in brut["ald"]],
        "Honoraires": [euros(arrondi(Decimal(str(h)))) for h in brut["honoraires"]],
    })
    affiche = tableau(vue, index=False)
    return Affichage(affiche.html, affiche.texte, brut)


def niveaux(jour, niveaux: Mapping[str, tuple] = NIVEAUX) -> Affichage:
    """Les niveaux comparés (en % de la BRSS, Sécu comprise) et le plafond qu'un contrat responsable
    applique, à la date ``jour``, à la ligne des médecins non adhérents (:func:`reimb.plafond_hors_dptam`)."""
    chiffres = {}
    for nom, (dptam, hors_dptam) in niveaux.items():
        plafond = plafond_hors_dptam(dptam, jour)
        chiffres[nom] = {
            "Adhérents DPTAM et secteur 1": Decimal(dptam),
            "Non-adhérents : niveau annoncé": Decimal(hors_dptam),
            "Non-adhérents : plafond du contrat responsable": plafond,
        }
    df = pd.DataFrame.from_dict(chiffres, orient="index")
    df.index.name = f"Niveau (% de la BRSS), au {jour:%d/%m/%Y}"
    affiche = tableau(df.map(lambda v: "pas de plafond" if v is None else f"{nombre(v)}\u00a0%"))
    return Affichage(affiche.html, affiche.texte, df)


def comparer(table: pd.DataFrame, niveaux: Mapping[str, tuple] = NIVEAUX, responsable: bool = True) -> dict[str, pd.DataFrame]:
    """Le décompte de chaque consultation de la table sous chaque niveau de garantie.

    ``niveaux`` : ``{nom: (niveau médecins adhérents et secteur 1, niveau non adhérents)}``.
    Rend ``{nom: table décomptée}`` (colonnes ``_centimes`` de :func:`reimb.decompte_lot`).
    """
    return {
        nom: decompte_lot(table.assign(garantie_dptam=d, garantie_hors_dptam=h, responsable=responsable), euros=False)
        for nom, (d, h) in niveaux.items()
    }


def reste_par_personne(resultat: pd.DataFrame) -> pd.Series:
    """Le reste à charge annuel de chaque personne, en centimes entiers."""
    return resultat.groupby("personne", observed=True)["reste_a_charge_centimes"].sum()


def totaux(resultats: Mapping[str, pd.DataFrame], par_personne: Mapping[str, pd.Series] | None = None) -> Affichage:
    """Par niveau : honoraires, Sécu, complémentaire, reste à charge ; total et par personne ayant consulté.

    ``par_personne`` : les restes à charge par personne déjà calculés (:func:`reste_par_personne`), s'il y en a.
    """
    lignes = {}
    for nom, r in resultats.items():
        pp = par_personne[nom] if par_personne is not None else reste_par_personne(r)
        n = len(pp)
        total = int(r["reste_a_charge_centimes"].sum())
        lignes[nom] = {
            "Honoraires": _euros((r["brss_appliquee_centimes"] + r["depassement_centimes"]).sum()),
            PARTS["amo"]: _euros(r["amo_centimes"].sum()),
            PARTS["amc"]: _euros(r["amc_centimes"].sum()),
            PARTS["reste_a_charge"]: _euros(total),
            "Reste à charge moyen par personne": arrondi(_euros(total) / n) if n else Decimal("0.00"),
            "Reste à charge médian par personne": _mediane(pp.to_numpy()),
            "Reste à charge maximal d'une personne": _euros(pp.max()) if n else Decimal("0.00"),
        }
    df = pd.DataFrame.from_dict(lignes, orient="columns")
    df.index.name = "Sur l'année"
    affiche = tableau(df.map(euros))
    return Affichage(affiche.html, affiche.texte, df)


def _mediane(centimes: np.ndarray) -> Decimal:
    """La médiane exacte de montants en centimes (demi-centime possible, arrondi par la règle du projet)."""
    if not len(centimes):
        return Decimal("0.00")
    c = np.sort(centimes)
    m = len(c) // 2
    somme = int(c[m]) * 2 if len(c) % 2 else int(c[m - 1]) + int(c[m])
    return arrondi(Decimal(somme) / 200)


def par_type(resultats: Mapping[str, pd.DataFrame]) -> Affichage:
    """Le reste à charge total par type de médecin (secteur, adhésion à un DPTAM) et par niveau."""
    lignes = {}
    nombre = None
    for nom, r in resultats.items():
        types = type_medecin(r)
        sommes = r.groupby(types, observed=False)["reste_a_charge_centimes"].sum()
        lignes[nom] = {t: _euros(sommes.get(t, 0)) for t in TYPES_MEDECIN}
        if nombre is None:
            nombre = pd.Series(types).value_counts().reindex(TYPES_MEDECIN, fill_value=0)
    df = pd.DataFrame.from_dict(lignes, orient="columns")
    df.index.name = "Reste à charge, médecin…"
    affiche_df = df.map(euros)
    affiche_df.insert(0, "Consultations", [f"{int(nombre[t]):,}".replace(",", "\u202f") for t in TYPES_MEDECIN])
    affiche = tableau(affiche_df)
    return Affichage(affiche.html, affiche.texte, df)


def cout_plafonds(table: pd.DataFrame, niveaux: Mapping[str, tuple] = NIVEAUX) -> Affichage:
    """Ce que les règles du contrat responsable coûtent à l'assuré : mêmes niveaux, responsable ou non.

    Deux règles jouent sur une consultation : le plafond des dépassements des médecins non adhérents
    (R.871-2) et, hors parcours de soins, l'exclusion de la majoration du ticket modérateur et du
    dépassement autorisé (R.871-1). La participation forfaitaire n'est remboursée ni par l'un ni par
    l'autre (formule « % BRSS » du moteur), elle ne fait donc pas de différence ici.
    """
    resp = comparer(table, niveaux, responsable=True)
    libre = comparer(table, niveaux, responsable=False)
    lignes = {}
    for nom in niveaux:
        a, b = resp[nom], libre[nom]
        ecart = a["reste_a_charge_centimes"].to_numpy() - b["reste_a_charge_centimes"].to_numpy()
        personnes = reste_par_personne(a) - reste_par_personne(b)
        touchees = int((personnes > 0).sum())
        lignes[nom] = {
            "Reste à charge, contrat responsable": _euros(a["reste_a_charge_centimes"].sum()),
            "Reste à charge, même niveau non responsable": _euros(b["reste_a_charge_centimes"].sum()),
            "Surcoût pour les assurés": _euros(ecart.sum()),
            "dont consultations où le plafond R.871-2 joue": _euros(ecart[a["plafond_responsable"].to_numpy()].sum()),
            "dont autres consultations (hors parcours, R.871-1)": _euros(ecart[~a["plafond_responsable"].to_numpy()].sum()),
            "Consultations touchées": int((ecart > 0).sum()),
            "Personnes touchées": touchees,
            "Surcoût moyen par personne touchée": arrondi(_euros(int(personnes.sum())) / touchees) if touchees else Decimal("0.00"),
        }
    df = pd.DataFrame.from_dict(lignes, orient="columns")
    df.index.name = "Sur l'année"
    affiche = tableau(df.map(lambda v: euros(v) if isinstance(v, Decimal) else f"{v:,}".replace(",", "\u202f")))
    return Affichage(affiche.html, affiche.texte, df)


def exemple_plafonne(table: pd.DataFrame, nom: str = "Confort", niveaux: Mapping[str, tuple] = NIVEAUX):
    """Le décompte détaillé (moteur scalaire) de la première consultation où le plafond responsable joue.

    Le calcul par lot et :func:`reimb.decompte` donnent les mêmes montants : ce décompte montre les
    étapes qui se cachent derrière une ligne du tableau. ``None`` si le plafond ne joue nulle part.
    """
    from ..lot import appeler_moteur

    d, h = niveaux[nom]
    avec = table.assign(garantie_dptam=d, garantie_hors_dptam=h, responsable=True)
    r = decompte_lot(avec, euros=False)
    positions = np.flatnonzero(r["plafond_responsable"].to_numpy())
    return appeler_moteur(avec.iloc[positions[0]]) if len(positions) else None


# --- Graphiques -----------------------------------------------------------------------------------


def histogramme(resultats: Mapping[str, pd.DataFrame], pas: int = 10, largeur: float = 7.5) -> Figure:
    """La distribution du reste à charge annuel par personne, une courbe en escalier par niveau.

    Classes de ``pas`` euros. ``fig.reimb_donnees`` : ``{niveau: {"bords": [Decimal…], "effectifs": [int…]}}``.
    """
    par_personne = {nom: reste_par_personne(r).to_numpy() for nom, r in resultats.items()}
    plus_grand = max((int(v.max()) for v in par_personne.values() if len(v)), default=0)
    pas_c = pas * 100
    bords = np.arange(0, (plus_grand // pas_c + 2) * pas_c, pas_c, dtype=np.int64)
    fig = Figure(figsize=(largeur, 3.8), layout="constrained")
    ax = fig.add_subplot()
    donnees = {}
    for i, (nom, v) in enumerate(par_personne.items()):
        effectifs = np.bincount(v // pas_c, minlength=len(bords) - 1)[: len(bords) - 1]
        donnees[nom] = {"bords": [_euros(b) for b in bords], "effectifs": [int(e) for e in effectifs]}
        ax.stairs(effectifs, bords / 100, color=COULEURS_NIVEAUX[i % len(COULEURS_NIVEAUX)],
                  linestyle=_STYLES[i % len(_STYLES)], linewidth=2, label=nom)
    ax.set_xlabel(f"Reste à charge sur l'année, par personne (classes de {euros(Decimal(pas))})")
    ax.set_ylabel("Nombre de personnes")
    ax.xaxis.set_major_formatter(FuncFormatter(_euros_axe))
    ax.set_xlim(0, None)
    ax.set_title("Reste à charge annuel par personne")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, title="Garantie")
    fig.reimb_donnees = donnees
    return fig


def barres_types(resultats: Mapping[str, pd.DataFrame], largeur: float = 7.5) -> Figure:
    """Le reste à charge total par type de médecin, des barres groupées par niveau de garantie.

    ``fig.reimb_donnees`` : ``{niveau: {type de médecin: Decimal}}``.
    """
    donnees = {nom: dict(par_type({nom: r}).donnees[nom]) for nom, r in resultats.items()}
    fig = Figure(figsize=(largeur, 3.8), layout="constrained")
    ax = fig.add_subplot()
    noms = list(donnees)
    x = np.arange(len(noms))
    larg = 0.8 / len(TYPES_MEDECIN)
    for j, t in enumerate(TYPES_MEDECIN):
        hauteurs = [float(donnees[n][t]) for n in noms]
        ax.bar(x + (j - (len(TYPES_MEDECIN) - 1) / 2) * larg, hauteurs, width=larg, color=_COULEURS_TYPES[j],
               label=t, edgecolor="white", hatch=("", "//", "..", "xx")[j])
    ax.set_xticks(x, noms)
    ax.set_ylabel(PARTS["reste_a_charge"] + " sur l'année")
    ax.yaxis.set_major_formatter(FuncFormatter(_euros_axe))
    ax.set_title("Reste à charge selon le médecin consulté")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.reimb_donnees = donnees
    return fig


# --- Widget ------------------------------------------------------------------------------------------


class Histogramme:
    """L'histogramme du widget : **une** figure, mise à jour à chaque changement (voir :func:`histogramme`).

    Les classes (``pas`` euros) et l'axe des montants sont fixés au départ sur le plus grand reste à
    charge possible (``plus_grand``, en centimes) : d'un réglage à l'autre, on compare sur la même
    échelle. Seuls les escaliers (``set_data``) sont redessinés sur un fond rendu une fois (axes, titre, légende)
    (:class:`~reimb.presentation.graphiques.Rendu`) ; l'axe des effectifs ne change (et le fond n'est
    refait) que si les effectifs sortent de sa plage.
    """

    def __init__(self, noms, plus_grand: int, pas: int = 10, largeur: float = 7.5):
        from .graphiques import Rendu

        self.pas_c = pas * 100
        self.bords = np.arange(0, (int(plus_grand) // self.pas_c + 2) * self.pas_c, self.pas_c, dtype=np.int64)
        self.figure = fig = Figure(figsize=(largeur, 3.8), layout="constrained")
        ax = self.ax = fig.add_subplot()
        self.escaliers = [
            ax.stairs(np.zeros(len(self.bords) - 1), self.bords / 100, color=COULEURS_NIVEAUX[i % len(COULEURS_NIVEAUX)],
                      linestyle=_STYLES[i % len(_STYLES)], linewidth=2, label=nom)
            for i, nom in enumerate(noms)
        ]
        ax.set_xlabel(f"Reste à charge sur l'année, par personne (classes de {euros(Decimal(pas))})")
        ax.set_ylabel("Nombre de personnes")
        ax.xaxis.set_major_formatter(FuncFormatter(_euros_axe))
        ax.set_xlim(0, self.bords[-1] / 100)
        ax.set_title("Reste à charge annuel par personne")
        ax.spines[["top", "right"]].set_visible(False)
        # Légende à une place fixe (pas « best », qui dépendrait des courbes) : elle est dans le fond,
        # rendue une fois (les noms des niveaux ne changent pas) ; les escaliers passent par-dessus.
        self.legende = ax.legend(frameon=False, title="Garantie", loc="upper right")
        ax.set_autoscale_on(False)
        self.haut = 0
        self._rendu = Rendu(fig)
        self._fond_perime = True

    def tracer(self, par_personne: Mapping[str, np.ndarray]) -> dict:
        """Met les escaliers à jour ; rend ``{niveau: {"bords": [Decimal…], "effectifs": [int…]}}``."""
        plus_grand = max((int(v.max()) for v in par_personne.values() if len(v)), default=0)
        if plus_grand >= self.bords[-1]:  # au-delà des classes prévues : on les étend (et le fond est refait)
            self.bords = np.arange(0, (plus_grand // self.pas_c + 2) * self.pas_c, self.pas_c, dtype=np.int64)
            self.ax.set_xlim(0, self.bords[-1] / 100)
            self._fond_perime = True
        donnees, maximum = {}, 1
        for escalier, (nom, v) in zip(self.escaliers, par_personne.items()):
            effectifs = np.bincount(v // self.pas_c, minlength=len(self.bords) - 1)[: len(self.bords) - 1]
            escalier.set_data(effectifs, self.bords / 100)
            maximum = max(maximum, int(effectifs.max(initial=0)))
            donnees[nom] = {"bords": [_euros(b) for b in self.bords], "effectifs": [int(e) for e in effectifs]}
        if not (0.45 * self.haut <= maximum * 1.05 <= self.haut):  # hors de la plage : une nouvelle plage
            self.haut = _arrondi_haut(maximum * 1.15)
            self.ax.set_ylim(0, self.haut)
            self._fond_perime = True
        self.figure.reimb_donnees = donnees
        return donnees

    def png(self) -> bytes:
        donnees = self._rendu.png(self.escaliers, fond_perime=self._fond_perime)
        self._fond_perime = False
        return donnees


def _arrondi_haut(x: float) -> int:
    """Le plus petit nombre « rond » (1, 2, 2,5 ou 5 × 10ⁿ) supérieur ou égal à ``x``."""
    puissance = 10 ** max(0, len(str(int(x))) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if m * puissance >= x:
            return int(m * puissance)
    return int(10 * puissance)


class Comparateur(w.VBox):
    """Trois niveaux réglables → le tableau des totaux (``HTML``) et l'histogramme (``Image`` PNG).

    ``controles`` : les curseurs (``"<niveau>/dptam"``, ``"<niveau>/hors_dptam"``) et la case
    ``"responsable"`` ; ``resultats`` : les décomptes du dernier calcul ; ``figure_donnees`` : les
    chiffres de l'histogramme affiché.

    À chaque changement, seuls les niveaux dont le réglage a changé sont recalculés, en **un** appel
    à :func:`reimb.decompte_lot` (leurs tables mises bout à bout) ; l'histogramme est une figure
    gardée et mise à jour (:class:`Histogramme`). Les décomptes des derniers réglages sont gardés
    (:attr:`TAILLE_CACHE`) : revenir à un réglage déjà vu ne rappelle pas le moteur. L'image est envoyée
    avant le tableau.
    """

    def __repr__(self) -> str:
        from .widgets import A_EXECUTER

        return A_EXECUTER

    TAILLE_CACHE = 12  # réglages (niveau, contrat) dont les décomptes sont gardés…
    LIGNES_CACHE = 40_000  # …dans la limite de ce nombre de lignes décomptées (une grande table : moins de réglages)

    def __init__(self, table: pd.DataFrame, niveaux: Mapping[str, tuple] = NIVEAUX, responsable: bool = True):
        self.table = table
        self.noms = list(niveaux)
        style = {"description_width": "initial"}
        self.controles = {"responsable": w.Checkbox(value=responsable, description="Contrats responsables", style=style)}
        lignes = []
        # Une ligne par niveau : son nom, puis deux curseurs dont la description a une largeur fixe (la piste garde
        # au moins 15em, environ 240 px), puis le niveau réellement appliqué aux non-adhérents.
        style_curseur = {"description_width": "13em"}
        self.appliques: dict[str, w.HTML] = {}
        for nom, (d, h) in niveaux.items():
            cd = w.IntSlider(value=int(d), min=100, max=400, step=10, description="adhérents et secteur 1",
                             style=style_curseur, layout=w.Layout(width="31em"), continuous_update=False)
            ch = w.IntSlider(value=int(h), min=100, max=400, step=10, description="non adhérents",
                             style=style_curseur, layout=w.Layout(width="31em"), continuous_update=False)
            self.controles[f"{nom}/dptam"], self.controles[f"{nom}/hors_dptam"] = cd, ch
            self.appliques[nom] = w.HTML()
            lignes.append(w.HTML(f"<b>{nom}</b> (% de la BRSS, Sécurité sociale comprise)"))
            lignes.append(w.HBox([cd, ch, self.appliques[nom]]))
        self.tableau = w.HTML()
        self.image = w.Image(format="png", layout=w.Layout(max_width="42em"))
        super().__init__(children=(*lignes, self.controles["responsable"], self.tableau, self.image))
        self.resultats: dict[str, pd.DataFrame] = {}
        self.figure_donnees: dict = {}
        self._cache: dict[tuple, tuple[pd.DataFrame, pd.Series]] = {}
        # Les personnes numérotées une fois : des copies de la table mises bout à bout gardent des personnes
        # distinctes (le plafond annuel de la participation forfaitaire se compte par personne).
        self._personnes = pd.factorize(table["personne"])[0] if "personne" in table else None
        self._n_personnes = int(self._personnes.max()) + 1 if self._personnes is not None and len(table) else 0
        # L'échelle de l'histogramme : le plus grand reste à charge possible avec ces curseurs (niveau 100 %,
        # contrat responsable), ou plus si les niveaux de départ sont plus bas.
        pire = {n: (100, 100) for n in self.noms[:1]}
        plus_grand = max((int(v.max()) for v in self._calculer(pire, True).values() if len(v)), default=0)
        self.histogramme = Histogramme(self.noms, plus_grand)
        self.figure = self.histogramme.figure
        for c in self.controles.values():
            c.observe(lambda _change: self.recalculer(), names="value")
        self.recalculer()

    def niveaux(self) -> dict[str, tuple[int, int]]:
        return {n: (self.controles[f"{n}/dptam"].value, self.controles[f"{n}/hors_dptam"].value) for n in self.noms}

    def _calculer(self, niveaux: Mapping[str, tuple], responsable: bool) -> dict[str, np.ndarray]:
        """Les décomptes des niveaux (un appel à decompte_lot pour ceux qui ne sont pas déjà calculés) ;
        rend les restes à charge par personne (centimes) et met ``self.resultats`` à jour."""
        cles = {nom: (d, h, responsable) for nom, (d, h) in niveaux.items()}
        self._cles_affichees = list(cles.values())
        manquants = list(dict.fromkeys(k for k in cles.values() if k not in self._cache))
        if manquants:
            morceaux = []
            for i, (d, h, resp) in enumerate(manquants):
                t = self.table.assign(garantie_dptam=d, garantie_hors_dptam=h, responsable=resp)
                if self._personnes is not None and len(manquants) > 1:
                    t["personne"] = self._personnes + i * self._n_personnes
                morceaux.append(t)
            tout = decompte_lot(morceaux[0] if len(morceaux) == 1 else pd.concat(morceaux, ignore_index=True), euros=False)
            n = len(self.table)
            for i, k in enumerate(manquants):
                r = tout.iloc[i * n:(i + 1) * n]
                if len(manquants) > 1:
                    r = r.set_axis(self.table.index)
                    if self._personnes is not None:
                        r = r.assign(personne=self.table["personne"].array)
                self._cache[k] = (r, reste_par_personne(r))
        # Le cache garde les réglages affichés et les derniers vus (revenir en arrière ne recalcule rien).
        for k in cles.values():
            self._cache[k] = self._cache.pop(k)  # le plus récemment utilisé à la fin
        taille = min(self.TAILLE_CACHE, self.LIGNES_CACHE // max(1, len(self.table)))
        while len(self._cache) > max(taille, len(set(cles.values()))):
            del self._cache[next(iter(self._cache))]
        self.resultats = {nom: self._cache[k][0] for nom, k in cles.items()}
        self._par_personne = {nom: self._cache[k][1] for nom, k in cles.items()}
        return {nom: pp.to_numpy() for nom, pp in self._par_personne.items()}

    def vider_cache(self, sauf_affiches: bool = False) -> None:
        """Oublie les décomptes gardés (``sauf_affiches`` : sauf ceux des réglages affichés)."""
        garder = set(self._cles_affichees) if sauf_affiches else set()
        self._cache = {k: v for k, v in self._cache.items() if k in garder}

    def recalculer(self) -> None:
        """Relit les curseurs, refait par lot les décomptes des niveaux changés, met à jour l'histogramme et le tableau."""
        par_personne = self._calculer(self.niveaux(), self.controles["responsable"].value)
        self.figure_donnees = self.histogramme.tracer(par_personne)
        self.image.value = self.histogramme.png()  # l'image d'abord : elle part la première vers le navigateur
        self.tableau.value = totaux(self.resultats, self._par_personne).html
        self._afficher_appliques()

    def _afficher_appliques(self) -> None:
        """Le niveau appliqué aux non-adhérents : celui du curseur, ou le plafond du contrat responsable s'il est
        plus bas (lu par ``reimb.plafond_hors_dptam`` à la date de la première consultation de la table)."""
        jour = pd.Timestamp(self.table["date"].min()).date() if len(self.table) else None
        for nom, (d, h) in self.niveaux().items():
            texte = ""
            if jour is not None and self.controles["responsable"].value:
                plafond = plafond_hors_dptam(d, jour)
                if plafond is not None and plafond < h:
                    texte = (f"<span class='reimb-applique' style='color:#D55E00'>appliqué : {pourcent(plafond)} "
                             "(plafond du contrat responsable)</span>")
            self.appliques[nom].value = texte


def comparateur(table: pd.DataFrame, niveaux: Mapping[str, tuple] = NIVEAUX, responsable: bool = True) -> Comparateur:
    """Le widget du notebook 05 : changez les niveaux, le tableau et l'histogramme se recalculent."""
    return Comparateur(table, niveaux, responsable)
