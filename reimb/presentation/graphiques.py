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
    fig.savefig(tampon, format="png", dpi=dpi, metadata={"Software": None})  # un seul rendu : pas de bbox_inches="tight"
    return tampon.getvalue()


class Rendu:
    """Les images successives d'une figure qui change peu : le fond est rendu une fois, puis seulement ce qui change.

    Le fond — axes, graduations, grille, libellés : tout sauf les artistes ``dynamiques`` — est rendu
    par Agg et gardé (``copy_from_bbox``). Pour chaque image : le fond est recopié (``restore_region``,
    une copie de mémoire), les artistes dynamiques sont dessinés par-dessus, et le tampon est codé en PNG
    (:func:`png_rgba` ; texte sans « hinting »). La première image calcule la mise en page (``constrained``) avec tous
    les artistes, puis la fige : une mise à jour ne la recalcule jamais. ``fond_perime=True`` (limites
    d'un axe changées…) refait le fond.
    """

    def __init__(self, figure: Figure, dpi: int = 80):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        figure.set_dpi(dpi)
        figure.set_facecolor("white")  # opaque, même sous « %matplotlib inline » (fond transparent) : lisible sur un thème sombre
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self._fond = None

    def png(self, dynamiques: Sequence, fond_perime: bool = False) -> bytes:
        # Texte rendu sans « hinting » FreeType : les glyphes (le plus cher d'une image : titre, légende)
        # coûtent ~40 % de moins, et restent lissés (anticrénelage) ; le fond est rendu de la même façon.
        import matplotlib
        from matplotlib.legend import Legend
        from matplotlib.text import Text

        if self._fond is not None and not fond_perime and not any(isinstance(a, (Text, Legend)) for a in dynamiques):
            return self._png(dynamiques, fond_perime)  # aucun texte à dessiner : pas de rc_context (~1 ms)
        with matplotlib.rc_context({"text.hinting": "no_hinting"}):
            return self._png(dynamiques, fond_perime)

    def _png(self, dynamiques: Sequence, fond_perime: bool) -> bytes:
        fig, canvas = self.figure, self.canvas
        if self._fond is None or fond_perime:
            if self._fond is None:
                for a in dynamiques:
                    a.set_animated(False)
                canvas.draw()                      # mise en page calculée avec tous les artistes…
                fig.set_layout_engine("none")      # …puis figée
            for a in dynamiques:
                a.set_animated(True)               # exclus du fond
            canvas.draw()
            self._fond = canvas.copy_from_bbox(fig.bbox)
        else:
            canvas.restore_region(self._fond)
        for a in dynamiques:
            a.set_animated(True)
            if a.get_visible():
                fig.draw_artist(a)
        return png_rgba(canvas.buffer_rgba())


def png_rgba(rgba) -> bytes:
    """Un tampon RGBA (``canvas.buffer_rgba()``, hauteur × largeur × 4) en PNG, sans perte.

    Codé ici plutôt que par Pillow : chaque ligne sans filtre (une copie contiguë du tampon, ~0,1 ms),
    compressée par zlib au niveau 1 en stratégie RLE (les longues plages d'une même couleur d'un
    graphique) — ~3-4 ms pour 640 × 368 px au lieu de ~13 ms (Pillow, ``compress_level=1``), pour
    ~60 Ko ; les pixels sont exactement ceux d'Agg.
    """
    import struct
    import zlib

    import numpy as np

    pixels = np.asarray(rgba)
    hauteur, largeur = pixels.shape[:2]
    lignes = np.empty((hauteur, 1 + 4 * largeur), dtype=np.uint8)
    lignes[:, 0] = 0                                       # l'octet de tête de chaque ligne : filtre 0 (aucun)
    lignes[:, 1:] = pixels.reshape(hauteur, 4 * largeur)
    compresseur = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    donnees = compresseur.compress(memoryview(lignes).cast("B")) + compresseur.flush()

    def bloc(nom: bytes, contenu: bytes) -> bytes:
        return struct.pack(">I", len(contenu)) + nom + contenu + struct.pack(">I", zlib.crc32(nom + contenu))

    entete = struct.pack(">IIBBBBB", largeur, hauteur, 8, 6, 0, 0, 0)  # 8 bits, RGBA, sans entrelacement
    return b"\x89PNG\r\n\x1a\n" + bloc(b"IHDR", entete) + bloc(b"IDAT", donnees) + bloc(b"IEND", b"")


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
    """Les points d'une courbe : un niveau de garantie, un type de médecin, les honoraires et le reste à charge.

    ``absence`` : pourquoi la courbe n'a aucun point (le message français du moteur), ``None`` sinon.
    """

    niveau: Decimal | str
    adherent: bool
    libelle: str
    honoraires: tuple[Decimal, ...]
    reste_a_charge: tuple[Decimal, ...]
    absence: str | None = None

    def en(self, honoraires) -> Decimal:
        """Le reste à charge de la courbe pour ces honoraires (``courbe.en(50)``)."""
        return self.reste_a_charge[self.honoraires.index(Decimal(honoraires))]


def raison(message: str) -> str:
    """La raison d'un refus, pour une figure : « champ : raison (valeurs acceptées : …) » → « raison »."""
    texte = message.split(" : ", 1)[-1]
    return texte.split(" (valeurs acceptées", 1)[0]


def _grille(honoraires: Sequence | None) -> list[Decimal]:
    return [Decimal(h) for h in (honoraires if honoraires is not None else range(23, 121))]


def _essai(medecin: Medecin, jour: date, haut: Decimal, patient: Patient, garantie: Garantie) -> tuple[Decimal | None, ErreurSaisie | None]:
    """Un décompte d'essai (scalaire) aux honoraires les plus hauts : la base de ce médecin à cette date,
    ou l'erreur française qui dit pourquoi aucune de ses courbes ne peut être tracée."""
    try:
        return decompte(honoraires=haut, date=jour, medecin=medecin, patient=patient, garantie=garantie).brss, None
    except ErreurSaisie as e:
        return None, e


def courbes_reste_a_charge(jour: date, niveaux: Sequence = (100, 150, 200), honoraires: Sequence | None = None,
                           specialite: str = "specialiste", responsable: bool = True,
                           patient: Patient | None = None) -> list[Courbe]:
    """Le reste à charge selon les honoraires, pour chaque niveau de garantie (même niveau sur les deux
    lignes du tableau de garanties), chez un médecin adhérent au DPTAM de la date et chez un non-adhérent.

    Un contrat responsable est plafonné par le moteur pour les non-adhérents (double limite). Tous les
    points sont calculés d'un coup par :func:`reimb.decompte_lot` (une table, un appel) ; un décompte
    d'essai par médecin donne sa base. Les honoraires inférieurs à la base d'un médecin ne sont pas
    tracés pour lui. Un médecin dont aucune courbe ne peut être calculée (pas de dispositif, base non
    établie à cette date) garde des courbes vides dont ``absence`` dit pourquoi ; si aucun des deux
    ne le peut (date hors de la table des paramètres…), l':class:`~reimb.ErreurSaisie` est levée.
    """
    from ..lot import decompte_lot
    import numpy as np
    import pandas as pd

    patient = patient or Patient(age=45)
    grille = _grille(honoraires)
    garanties = [Garantie(dptam=niv, hors_dptam=niv, responsable=responsable) for niv in niveaux]
    if not garanties or not grille:
        return []
    haut = max(grille)
    # Le non-adhérent d'abord : une date hors de la table est dite comme telle (et pas « aucun dispositif »).
    non = Medecin(secteur=2, specialite=specialite)
    base_non, erreur_non = _essai(non, jour, haut, patient, garanties[0])
    try:
        dptam = dptam_a_la_date(jour)
    except ErreurSaisie as e:
        dptam, adh, base_adh, erreur_adh = None, None, None, e
    else:
        adh = Medecin(secteur=2, dptam=dptam, specialite=specialite)
        base_adh, erreur_adh = _essai(adh, jour, haut, patient, garanties[0])
    if erreur_non is not None and erreur_adh is not None:
        raise erreur_non  # ex. une date hors de la table des paramètres : aucun médecin n'a de base
    medecins = {True: (adh, base_adh, erreur_adh), False: (non, base_non, erreur_non)}

    # Une table : pour chaque niveau et chaque médecin calculable, les honoraires de la grille ≥ sa base.
    h_col, adh_col, niv_col, rang_col = [], [], [], []
    cles = [(i, adherent) for i in range(len(garanties)) for adherent in (True, False)]
    for rang, (i, adherent) in enumerate(cles):
        _, base, erreur = medecins[adherent]
        if erreur is None:
            points = [h for h in grille if h >= base]
            h_col += points
            adh_col += [adherent] * len(points)
            niv_col += [garanties[i].dptam] * len(points)
            rang_col += [rang] * len(points)
    points = {k: ([], []) for k in range(len(cles))}
    absences: dict[int, str] = {}
    if h_col:
        adherents = np.array(adh_col, dtype=bool)
        table = pd.DataFrame({
            "honoraires": np.array(h_col, dtype=object),
            "date": np.full(len(h_col), jour, dtype=object),
            "secteur": 2,
            "dptam": np.where(adherents, dptam, None) if dptam else None,
            "specialite": specialite,
            "age": patient.age, "css": patient.css, "ald": patient.ald, "maternite": patient.maternite,
            "garantie_dptam": np.array(niv_col, dtype=object),
            "garantie_hors_dptam": np.array(niv_col, dtype=object),
            "responsable": responsable,
        })
        r = decompte_lot(table, erreurs="colonne", euros=False)
        rac = r["reste_a_charge_centimes"].to_numpy(dtype=object, na_value=None)
        erreurs = r["erreur"].to_numpy()
        for k, h, c, e in zip(rang_col, h_col, rac, erreurs):
            if e is None:
                points[k][0].append(h)
                points[k][1].append(Decimal(int(c)).scaleb(-2))
            elif k not in absences:
                absences[k] = e  # la première raison ; sous la base (« honoraires : … ») : le point est sauté
    courbes = []
    for rang, (i, adherent) in enumerate(cles):
        g = garanties[i]
        _, _, erreur = medecins[adherent]
        qui = (f"adhérent {dptam}" if dptam else "adhérent") if adherent else "non adhérent"
        xs, ys = points[rang]
        absence = None
        if not xs:
            absence = str(erreur) if erreur is not None else absences.get(rang, "aucun point calculable")
        courbes.append(Courbe(g.dptam, adherent, f"Garantie {niveau(g.dptam)}, médecin {qui}", tuple(xs), tuple(ys), absence))
    return courbes


class GraphiqueResteACharge:
    """Le graphique du reste à charge selon les honoraires, **une** figure mise à jour à chaque changement.

    La figure (``self.figure``, une ``Figure`` sans ``pyplot``) est créée une fois : axes, grille,
    formats et mise en page sont fixés à la première image (la mise en page « constrained » est
    calculée une fois, puis figée) ; ensuite :meth:`tracer` ne change que les données des courbes
    (``set_data``) et les textes, et :meth:`png` rend l'image une seule fois.
    Les axes sont fixes (de la plus petite à la plus grande valeur de la grille, pour les honoraires
    comme pour le reste à charge, qui ne dépasse jamais les honoraires) : d'une date ou d'un niveau à
    l'autre, on compare des courbes sur la même échelle.

    ``textes_html=True`` (le widget) : le titre, la légende et le message ne sont pas dessinés dans
    l'image mais rendus en HTML à côté (:meth:`legende_html`, le message par le widget) : l'image ne
    contient plus que les courbes sur le fond fixe (le texte était le plus cher de chaque image), et
    le texte est net, sélectionnable et lu par les lecteurs d'écran. Les courbes déjà calculées sont
    gardées, par niveau (:meth:`vider_cache`) : revenir à une date, un niveau ou une case déjà vus ne
    rappelle pas le moteur, et changer un niveau ne recalcule que ses deux courbes.
    """

    TAILLE_CACHE = 64  # niveaux (date, niveau, contrat) gardés : deux courbes de ≤ 98 points chacun

    def __init__(self, honoraires: Sequence | None = None, specialite: str = "specialiste",
                 patient: Patient | None = None, dpi: int = 80, textes_html: bool = False):
        self.grille = _grille(honoraires)
        self.specialite = specialite
        self.patient = patient
        self.dpi = dpi
        self.textes_html = textes_html
        self.figure = fig = Figure(figsize=(8, 4.6), layout="constrained")  # dpi du PNG : fixé par Rendu
        ax = self.ax = fig.add_subplot()
        ax.set_xlabel("Honoraires facturés")
        ax.set_ylabel("Reste à charge du patient")
        ax.xaxis.set_major_formatter(FuncFormatter(_euros_axe))
        ax.yaxis.set_major_formatter(FuncFormatter(_euros_axe))
        ax.xaxis.set_major_locator(MultipleLocator(10))
        ax.grid(True, color="#dddddd", linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        bas, haut = float(min(self.grille)), float(max(self.grille))
        marge = (haut - bas) * 0.02 or 1.0
        ax.set_xlim(bas - marge, haut + marge)
        ax.set_ylim(0, haut * 1.02)
        ax.set_autoscale_on(False)
        # Textes de la figure (sans textes_html) ; avec textes_html, le titre reste vide (aucune place réservée).
        self.titre = ax.title if textes_html else ax.set_title(" ", fontsize=11)
        self.message = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=9.5,
                               color="#444444",
                               bbox=dict(boxstyle="round,pad=0.5", facecolor="white", edgecolor="#D55E00"))
        self.message.set_visible(False)
        self.titre_texte, self.message_texte = "", ""
        self.elements_legende: list[tuple[str, str, str]] = []  # (couleur, trait « - » ou « -- », libellé)
        self._legende_cle = None
        self._rendu: Rendu | None = None
        self._cache: dict[tuple, tuple[Courbe, Courbe]] = {}
        self._affichees: set[tuple] = set()
        self.courbes: list[Courbe] = []
        fig.reimb_donnees = self.courbes

    def _lignes(self, n: int):
        """Les ``n`` premières courbes de la figure (créées au besoin, une fois) ; les autres sont vidées."""
        lignes = self.ax.lines
        while len(lignes) < n:
            self.ax.plot([], [], linewidth=2)
        for ligne in lignes[n:]:
            ligne.set_data([], [])
            ligne.set_visible(False)
        return lignes[:n]

    def vider_cache(self, sauf_affichees: bool = False) -> None:
        """Oublie les courbes déjà calculées (``sauf_affichees`` : sauf celles de l'image affichée) ; le prochain
        :meth:`tracer` rappelle le moteur pour les niveaux oubliés."""
        garder = self._affichees if sauf_affichees else set()
        self._cache = {k: v for k, v in self._cache.items() if k in garder}

    def _courbes(self, jour: date, niveaux: Sequence, responsable: bool) -> list[Courbe]:
        """Les courbes des niveaux : celles déjà calculées sont reprises du cache, les autres calculées
        ensemble par :func:`courbes_reste_a_charge` (un appel au lot)."""
        cles = [(jour, Garantie(dptam=n, hors_dptam=n).dptam, responsable) for n in niveaux]
        manquants = list(dict.fromkeys(c[1] for c in cles if c not in self._cache))
        if manquants:
            nouvelles = courbes_reste_a_charge(jour, manquants, self.grille, self.specialite, responsable, self.patient)
            for i, n in enumerate(manquants):
                self._cache[(jour, n, responsable)] = (nouvelles[2 * i], nouvelles[2 * i + 1])
        courbes = []
        self._affichees = set(cles)
        for c in cles:
            courbes += self._cache[c]
            self._cache[c] = self._cache.pop(c)  # le plus récemment utilisé à la fin
        while len(self._cache) > self.TAILLE_CACHE:
            del self._cache[next(iter(self._cache))]
        return courbes

    def tracer(self, jour: date, niveaux: Sequence = (100, 150, 200), responsable: bool = True) -> list[Courbe]:
        """Calcule les courbes (:func:`courbes_reste_a_charge`) et met la figure à jour, sans la redessiner.

        Si aucune courbe ne peut être calculée, l'erreur française est levée **et** écrite (sur la figure,
        ou dans :attr:`message_texte`) ; les courbes sont vidées : l'image ne montre jamais des courbes
        d'une autre date.
        """
        resp = "contrat responsable" if responsable else "contrat non responsable"
        spe = LIBELLES_SPECIALITES[self.specialite]
        self.titre_texte = f"Consultation de {spe} en secteur 2 le {date_courte(jour)} — {resp}"
        try:
            courbes = self._courbes(jour, niveaux, responsable)
        except ErreurSaisie as e:
            self._lignes(0)
            self._message(f"Aucune courbe : {e.message}", centre=True)
            self.elements_legende = []
            self._legende()
            self._titre()
            self.courbes = self.figure.reimb_donnees = []
            raise
        for i, (ligne, c) in enumerate(zip(self._lignes(len(courbes)), courbes)):
            ligne.set_data([float(x) for x in c.honoraires], [float(y) for y in c.reste_a_charge])
            ligne.set_color(COULEURS_NIVEAUX[(i // 2) % len(COULEURS_NIVEAUX)])
            ligne.set_linestyle("-" if c.adherent else "--")
            ligne.set_visible(True)
        absentes = {}
        for c in courbes:
            if c.absence is not None:
                qui = "adhérent" if c.adherent else "non adhérent"
                absentes.setdefault(qui, raison(c.absence))
        self._message("\n".join(f"Pas de courbe pour le médecin {qui} : {raison}" for qui, raison in absentes.items()))
        # Une légende courte (une couleur par niveau, un trait par type de médecin) : moins de texte à
        # rendre à chaque image, et plus lisible que six libellés longs.
        elements = []
        for i, c in enumerate(courbes[::2]):
            if any(x.honoraires for x in courbes[2 * i:2 * i + 2]):
                elements.append((COULEURS_NIVEAUX[i % len(COULEURS_NIVEAUX)], "-", f"Garantie {niveau(c.niveau)}"))
        for adherent, trait in ((True, "-"), (False, "--")):
            c = next((x for x in courbes if x.adherent is adherent and x.honoraires), None)
            if c is not None:
                elements.append(("#444444", trait, "médecin " + c.libelle.split("médecin ", 1)[1]))
        self.elements_legende = elements
        self._legende()
        self._titre()
        self.courbes = self.figure.reimb_donnees = courbes
        return courbes

    def _titre(self) -> None:
        if not self.textes_html:
            self.titre.set_text(self.titre_texte)

    def _message(self, texte: str, centre: bool = False) -> None:
        self.message_texte = texte
        if self.textes_html:
            return
        # Au centre quand rien n'est tracé ; sinon en bas à droite, sous les courbes.
        self.message.set_position((0.5, 0.5) if centre else (0.98, 0.04))
        self.message.set_horizontalalignment("center" if centre else "right")
        self.message.set_verticalalignment("center" if centre else "bottom")
        self.message.set_text("\n".join(textwrap.fill(ligne, 70) for ligne in texte.split("\n")) if texte else "")
        self.message.set_visible(bool(texte))

    def _legende(self) -> None:
        if self.textes_html:
            return
        from matplotlib.lines import Line2D

        libelles = [libelle for _, _, libelle in self.elements_legende]
        lignes = [Line2D([], [], color=couleur, linestyle=trait, linewidth=2) for couleur, trait, _ in self.elements_legende]
        cle = tuple(libelles)
        if cle == self._legende_cle:
            return
        self._legende_cle = cle
        legende = self.ax.get_legend()
        if legende is not None and lignes and len(legende.get_texts()) == len(libelles):
            # Autant d'entrées : textes et traits mis à jour sur place (créer une légende coûte plus cher).
            for texte, trait, poignee, libelle in zip(legende.get_texts(), legende.get_lines(), lignes, libelles):
                texte.set_text(libelle)
                trait.set_color(poignee.get_color())
                trait.set_linestyle(poignee.get_linestyle())
            return
        if legende is not None:
            legende.remove()
        if lignes:
            self.ax.legend(lignes, libelles, loc="upper left", frameon=False, fontsize=8.5)

    def legende_html(self) -> str:
        """Le titre et la légende du dernier tracé, en HTML (``ipywidgets.HTML`` au-dessus de l'image) :
        un trait de la couleur (plein : médecin adhérent, tirets : non adhérent) devant chaque libellé."""
        from html import escape

        entrees = "".join(
            '<span style="white-space:nowrap;margin-right:1.4em">'
            f'<span style="display:inline-block;width:2.4em;vertical-align:middle;margin-right:0.4em;'
            f'border-top:0.18em {"solid" if trait == "-" else "dashed"} {couleur}"></span>{escape(libelle)}</span> '
            for couleur, trait, libelle in self.elements_legende)
        return ('<div class="reimb-graphique-legende" style="line-height:1.6">'
                f'<div style="font-weight:bold">{escape(self.titre_texte)}</div>'
                + (f"<div>{entrees.rstrip()}</div>" if entrees else "") + "</div>")

    def png(self) -> bytes:
        """L'image PNG de la figure : le fond (axes fixes) rendu une fois, puis seulement les courbes (et,
        sans ``textes_html``, le titre, la légende et le message ; voir :class:`Rendu`)."""
        if self._rendu is None:
            self._rendu = Rendu(self.figure, self.dpi)
        dynamiques = list(self.ax.lines)
        if not self.textes_html:
            dynamiques += [self.titre, self.message]
            if self.ax.get_legend() is not None:
                dynamiques.append(self.ax.get_legend())
        return self._rendu.png(dynamiques)


def reste_a_charge_selon_honoraires(jour: date, niveaux: Sequence = (100, 150, 200), honoraires: Sequence | None = None,
                                    specialite: str = "specialiste", responsable: bool = True,
                                    patient: Patient | None = None) -> Figure:
    """Le reste à charge du patient selon les honoraires, plusieurs niveaux, DPTAM (trait plein) ou non (tirets).

    ``fig.reimb_donnees`` : la liste des :class:`Courbe` tracées, dans l'ordre de ``ax.lines``.
    """
    g = GraphiqueResteACharge(honoraires, specialite, patient)
    g.tracer(jour, niveaux, responsable)
    return g.figure


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


def frise_reformes(debut: date = date(2004, 1, 1), fin: date = date(2026, 12, 31)) -> Figure:
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
