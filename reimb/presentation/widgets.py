"""Les widgets du cours (ipywidgets) : chaque fonction renvoie un widget prêt, une cellule = un appel.

Règles de la maison (voir ``/work/shared/research/notebooks-and-nbval.md``) :

- chaque rappel recalcule en appelant ``reimb`` et **affecte** ``HTML.value`` (un décompte) ou
  ``Image.value`` (un PNG) — jamais ``interact``, ``interactive_output`` ni capture dans un ``Output`` :
  ces sorties échouent sous nbval strict ;
- un nombre saisi (``float`` d'un curseur, texte d'une case) devient un ``Decimal`` à la frontière, par
  son texte décimal (:func:`~reimb.presentation.format.decimal_saisi`) ;
- une saisie refusée affiche le message français de :class:`~reimb.ErreurSaisie` dans le widget ; rien
  ne lève d'exception dans le notebook.

Chaque widget renvoyé est un :class:`Exemple` (une ``VBox``) qui garde ses ``controles`` (par nom), sa
``sortie`` et le dernier ``decompte`` calculé : un test règle un contrôle et relit le résultat, sans
navigateur.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from html import escape

import ipywidgets as w

from ..decompte import Decompte, decompte
from ..erreurs import ErreurSaisie
from ..modele import Garantie, Patient
from ..montants import en_decimal
from ..responsable import plafond_hors_dptam_detail, verifier_responsable
from .format import date_courte, decimal_curseur, decimal_saisi, euros, niveau, pourcent
from .situations import SECTEURS, SPECIALITES, medecin
from .tableaux import PARTS, decompte_html

STYLE = {"description_width": "initial"}
STYLE_BOUTONS = {"description_width": "initial", "button_width": "auto"}
def _large() -> w.Layout:
    """Une mise en page par contrôle : un objet Layout partagé lierait la largeur de tous les contrôles."""
    return w.Layout(width="32em")


A_EXECUTER = ("Exemple interactif : ouvrez le menu « Exécuter → Exécuter toutes les cellules » pour l'afficher "
              "(en mode application, il s'affiche tout seul).")
"""Ce qu'affiche une page enregistrée tant qu'elle n'est pas exécutée (au lieu de la description Python)."""


class Boite(w.VBox):
    """Une boîte de contrôles qui, dans une page enregistrée non exécutée, se décrit en français."""

    def __repr__(self) -> str:
        return A_EXECUTER


def apres_derniere_frappe(action: Callable[[], None], bouton: w.Button | None = None, sortie: w.HTML | None = None) -> None:
    """Lance ``action`` (la lecture des cases d'une question) après la dernière frappe : hors d'un noyau (tests), tout
    de suite ; dans un noyau, :data:`reimb.presentation.evaluation_vue.DELAI` secondes après le clic, le temps que la
    dernière frappe arrive (un clic peut la devancer ; mesuré dans Chromium : 30 sur 30 justes avec ce délai, 17 sur
    20 sans). Le bouton est désactivé pendant l'attente."""
    import asyncio

    from .evaluation_vue import DELAI

    try:
        boucle = asyncio.get_running_loop()
    except RuntimeError:
        action()
        return
    if bouton is not None:
        bouton.disabled = True
    if sortie is not None:
        sortie.value = "<i>Vérification…</i>"

    def plus_tard():
        try:
            action()
        finally:
            if bouton is not None:
                bouton.disabled = False

    boucle.call_later(DELAI, plus_tard)


class Exemple(w.VBox):
    """Un exemple interactif : des contrôles, une sortie recalculée à chaque changement."""

    def __repr__(self) -> str:
        return A_EXECUTER

    def __init__(self, controles: dict, enfants: Sequence[w.Widget], sortie: w.Widget, calcul: Callable[["Exemple"], None]):
        super().__init__(children=tuple(enfants))
        self.controles = controles
        self.sortie = sortie
        self.decompte: Decompte | None = None
        self.erreur: str | None = None
        self._calcul = calcul
        for c in controles.values():
            c.observe(lambda _change: self.recalculer(), names="value")
        self.recalculer()

    def recalculer(self) -> None:
        """Relit les contrôles, rappelle ``reimb`` et met la sortie à jour (ou y affiche l'erreur)."""
        try:
            self.erreur = None
            self._calcul(self)
        except ErreurSaisie as e:
            self.decompte = None
            self.erreur = str(e)
            html = erreur_html(e)
            if isinstance(self.sortie, w.HTML):
                self.sortie.value = html
            else:
                self.message.value = html


#: Le libellé qu'un stagiaire voit à l'écran pour chaque champ (au lieu de son nom dans le code).
LIBELLES_CHAMPS = {
    "honoraires": "Honoraires",
    "brss": "Base de remboursement (BRSS)",
    "date": "Date des soins",
    "date_soins": "Date des soins",
    "parcours": "Parcours de soins",
    "acte": "Acte",
    "medecin": "Médecin",
    "medecin.secteur": "Secteur du médecin",
    "medecin.dptam": "Adhésion du médecin (CAS, OPTAM)",
    "medecin.specialite": "Spécialité",
    "patient.age": "Âge du patient",
    "age": "Âge du patient",
    "garantie.dptam": "Garantie, médecins adhérents et secteur 1",
    "garantie.hors_dptam": "Garantie, médecins non adhérents",
    "niveau": "Niveau de garantie",
    "niveaux": "Niveaux de garantie",
    "activite": "Activité du médecin",
    "taux_reference": "Taux de dépassement de référence",
    "part_reference": "Part à tarif opposable de référence",
}


def erreur_html(e: ErreurSaisie) -> str:
    """Le message d'une saisie refusée, tel qu'un widget l'affiche : le champ par son libellé à l'écran (revue du
    cours, n° 22), puis le message et ce qui est accepté."""
    libelle = LIBELLES_CHAMPS.get(e.champ, LIBELLES_CHAMPS.get(e.champ.split("[")[0], e.champ))
    texte = f"{libelle} : {e.message}" + (f" — accepté : {e.acceptes}" if e.acceptes else "")
    return (
        f'<div class="reimb-erreur" data-champ="{escape(e.champ, quote=True)}" '
        f'style="border-left:0.4em solid #D55E00;padding:0.3em 0.6em;line-height:1.4">'
        f"<b>Saisie refusée</b> — {escape(texte)}</div>"
    )


def _date(valeur) -> date:
    if not isinstance(valeur, date):
        raise ErreurSaisie("date", "la date des soins est vide", "une date, par ex. 01/03/2016")
    return valeur


def _niveau(texte: str, champ: str):
    """Un niveau de garantie saisi : « 150 », « 150 % », « frais réels »."""
    t = texte.strip().removesuffix("%").strip()
    if not t:
        raise ErreurSaisie(champ, "la case est vide", "un pourcentage de la BRSS (100, 125, 150…) ou « frais réels »")
    return t


def _garantie(niveau_dptam: str, niveau_hors: str, responsable: bool) -> Garantie:
    return Garantie(dptam=_niveau(niveau_dptam, "garantie.dptam"), hors_dptam=_niveau(niveau_hors, "garantie.hors_dptam"),
                    responsable=responsable)


def _texte_niveau(v) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if not isinstance(v, (int, float, Decimal)):   # une formulation de tableau (reimb.formules.Formule)
        return str(v)
    return format(en_decimal(v, "niveau").normalize(), "f")


def _valeur_curseur(curseur: w.FloatSlider, champ: str = "honoraires") -> Decimal:
    """Le montant d'un curseur, exact, sur son pas (voir :func:`~reimb.presentation.format.decimal_curseur`)."""
    return decimal_curseur(curseur.value, curseur.min, curseur.step, champ)


def _curseur_honoraires(valeur, maximum, pas) -> tuple[w.FloatSlider, w.HTML]:
    valeur = float(valeur)
    # Le chiffre du curseur se modifie au clavier (cliquer dessus, taper le montant, Entrée) ; la lecture à côté
    # est le montant à la française.
    curseur = w.FloatSlider(value=valeur, min=0.0, max=float(maximum), step=float(pas), description="Honoraires",
                            readout=True, readout_format=".2f", continuous_update=True, style=STYLE, layout=_large())
    lecture = w.HTML(euros(Decimal(repr(valeur))))
    return curseur, lecture


def _garantie_controles(garantie: Garantie | None) -> dict:
    g = garantie or Garantie()
    return {
        "complementaire": w.Checkbox(value=garantie is not None, description="Avec une complémentaire", style=STYLE),
        "niveau_dptam": w.Text(value=_texte_niveau(g.dptam), description="Garantie, médecins adhérents et secteur 1 (% BRSS)",
                               continuous_update=False, style=STYLE, layout=_large()),
        "niveau_hors_dptam": w.Text(value=_texte_niveau(g.hors_dptam), description="Garantie, médecins non adhérents (% BRSS)",
                                    continuous_update=False, style=STYLE, layout=_large()),
        "responsable": w.Checkbox(value=g.responsable, description="Contrat responsable", style=STYLE),
    }


# --- 1. Le décompte d'une consultation --------------------------------------------------------

def _honoraires_et_date(c: dict, lecture: w.HTML) -> tuple[Decimal, date]:
    """Les honoraires du curseur (en Decimal, affichés à côté) et la date des soins : le début commun
    des rappels des widgets de décompte."""
    h = _valeur_curseur(c["honoraires"])
    lecture.value = euros(h)
    return h, _date(c["date"].value)


def decompte_interactif(honoraires=50, date_soins: date = date(2016, 3, 1), secteur: str = "2",
                        specialite: str = "specialiste", age: int = 45, css: bool = False, ald: bool = False,
                        maternite: bool = False, parcours: bool = True, garantie: Garantie | None = None,
                        honoraires_max=150, pas=0.5) -> Exemple:
    """Secteur, honoraires, date, patient (et garantie) → le décompte, étape par étape.

    ``secteur`` : une clé de :data:`~reimb.presentation.situations.SECTEURS` (``"1"``, ``"1DP"``,
    ``"2DPTAM"``, ``"2"``, ``"3"``) ; « adhérent » veut dire CAS jusqu'en 2016, OPTAM ensuite.
    """
    curseur, lecture = _curseur_honoraires(honoraires, honoraires_max, pas)
    c = {
        "secteur": w.Dropdown(options=SECTEURS, value=secteur, description="Médecin", style=STYLE, layout=_large()),
        "specialite": w.Dropdown(options=SPECIALITES, value=specialite, description="Spécialité", style=STYLE, layout=_large()),
        "honoraires": curseur,
        "date": w.DatePicker(value=date_soins, description="Date des soins", style=STYLE),
        "age": w.BoundedIntText(value=age, min=0, max=130, description="Âge du patient", style=STYLE),
        "parcours": w.Checkbox(value=parcours, description="Dans le parcours de soins", style=STYLE),
        "css": w.Checkbox(value=css, description="Bénéficiaire de la CSS", style=STYLE),
        "ald": w.Checkbox(value=ald, description="Soins liés à une ALD", style=STYLE),
        "maternite": w.Checkbox(value=maternite, description="Assurance maternité", style=STYLE),
        **_garantie_controles(garantie),
    }
    sortie = w.HTML()

    def calcul(ex):
        h, jour = _honoraires_et_date(c, lecture)
        g = (_garantie(c["niveau_dptam"].value, c["niveau_hors_dptam"].value, c["responsable"].value)
             if c["complementaire"].value else None)
        d = decompte(
            honoraires=h, date=jour,
            medecin=medecin(c["secteur"].value, c["specialite"].value, jour),
            patient=Patient(age=c["age"].value, css=c["css"].value, ald=c["ald"].value, maternite=c["maternite"].value),
            garantie=g, parcours=c["parcours"].value,
        )
        ex.decompte = d
        sortie.value = conformite_html(g, jour) + decompte_html(d)

    enfants = [
        c["secteur"], c["specialite"], w.HBox([c["honoraires"], lecture]), c["date"], c["age"],
        w.HBox([c["parcours"], c["css"], c["ald"], c["maternite"]]),
        w.HBox([c["complementaire"], c["responsable"]]), c["niveau_dptam"], c["niveau_hors_dptam"], sortie,
    ]
    return Exemple(c, enfants, sortie, calcul)


def conformite_html(garantie: Garantie | None, jour: date) -> str:
    """Un avertissement quand une garantie déclarée responsable ne l'est pas à cette date (par exemple un niveau
    sous le ticket modérateur) : le contrôle de ``reimb.verifier_responsable``, règle par règle ; ``""`` sinon."""
    if garantie is None or not garantie.responsable:
        return ""
    try:
        rapport = verifier_responsable(garantie, jour)
    except ErreurSaisie:
        return ""
    if rapport.conforme:
        return ""
    lignes = "".join(f"<li>{escape(c.regle)} : {escape(c.explication)} <small>({escape(c.reference)})</small></li>"
                     for c in rapport.echecs)
    return ('<div class="reimb-avertissement" style="border-left:0.4em solid #E69F00;padding:0.3em 0.6em;'
            'margin:0.3em 0;line-height:1.4"><b>Attention : cette garantie est déclarée responsable, mais elle ne '
            f"respecte pas les règles du contrat responsable.</b><ul>{lignes}</ul>Le décompte ci-dessous applique "
            "quand même les plafonds et exclusions du contrat responsable.</div>")


# --- 2. Le contrat responsable : honoraires, BRSS, niveaux, date → décompte et plafond --------

def plafond_html(garantie: Garantie, jour: date, d: Decompte | None) -> str:
    """Quel plafond du contrat responsable s'applique, et s'il joue sur ce décompte."""
    if not garantie.responsable:
        texte = "Contrat non responsable : aucun plafond légal sur les dépassements (mais pas les avantages fiscaux et sociaux)."
    else:
        p = plafond_hors_dptam_detail(garantie.dptam, jour)
        if p.niveau is None:
            texte = f"Le {date_courte(jour)}, {p.regle} : un contrat responsable n'a pas encore de plafond."
        else:
            texte = (f"Le {date_courte(jour)}, un contrat responsable rembourse au plus {pourcent(p.niveau)} de la BRSS "
                     f"(Sécu comprise) chez un médecin non adhérent — {p.regle}.")
        if d is not None:
            if not d.medecin.ligne_dptam:
                if d.plafond_responsable_applique:
                    texte += (f" <b>Ici le plafond joue</b> : la garantie {escape(niveau(garantie.hors_dptam))} "
                              f"est ramenée à {escape(pourcent(d.niveau_applique))} de la BRSS.")
                else:
                    texte += f" Ici la garantie ({escape(niveau(garantie.hors_dptam))}) est sous le plafond : il ne joue pas."
            else:
                texte += " Ici le médecin est adhérent (ou de secteur 1) : pas de plafond légal pour lui."
    return f'<div class="reimb-plafond" style="margin:0.3em 0;line-height:1.4">{texte}</div>'


def contrat_responsable_interactif(honoraires=50, brss="23", date_soins: date = date(2016, 3, 1), adherent: bool = False,
                                   specialite: str = "specialiste", niveau_dptam="150", niveau_hors_dptam="150",
                                   responsable: bool = True, age: int = 45, honoraires_max=150, pas=1) -> Exemple:
    """Honoraires (curseur, pas de 1 €), BRSS, niveaux, date → le décompte, et quel plafond joue.

    Par défaut : l'hypothèse 2 de la source 002 (spécialiste secteur 2 non adhérent au CAS, 1er mars 2016,
    BRSS 23 €, honoraires 50 €, garantie 150 % / 150 %, contrat responsable). ``brss`` vide : la base
    est lue dans la table des tarifs.
    """
    curseur, lecture = _curseur_honoraires(honoraires, honoraires_max, pas)
    c = {
        "honoraires": curseur,
        "brss": w.Text(value=str(brss), description="BRSS en € (vide : la table des tarifs)", continuous_update=False,
                       style=STYLE, layout=_large()),
        "date": w.DatePicker(value=date_soins, description="Date des soins", style=STYLE),
        "adherent": w.ToggleButtons(options=(("Médecin adhérent CAS / OPTAM", True), ("Médecin non adhérent", False)),
                                    value=adherent, description="Secteur 2", style=STYLE_BOUTONS),
        "niveau_dptam": w.Text(value=_texte_niveau(niveau_dptam), description="Garantie, médecins adhérents (% BRSS)",
                               continuous_update=False, style=STYLE, layout=_large()),
        "niveau_hors_dptam": w.Text(value=_texte_niveau(niveau_hors_dptam), description="Garantie, médecins non adhérents (% BRSS)",
                                    continuous_update=False, style=STYLE, layout=_large()),
        "responsable": w.Checkbox(value=responsable, description="Contrat responsable", style=STYLE),
    }
    sortie = w.HTML()

    def calcul(ex):
        h, jour = _honoraires_et_date(c, lecture)
        base = c["brss"].value.strip()
        g = _garantie(c["niveau_dptam"].value, c["niveau_hors_dptam"].value, c["responsable"].value)
        d = decompte(
            honoraires=h, date=jour, brss=decimal_saisi(base, "brss") if base else None,
            medecin=medecin("2DPTAM" if c["adherent"].value else "2", specialite, jour),
            patient=Patient(age=age), garantie=g,
        )
        ex.decompte = d
        base_saisie = ""
        if base:
            base_saisie = ('<div class="reimb-avertissement" style="margin:0.3em 0;line-height:1.4">Base saisie à la '
                           f"main ({escape(euros(d.brss))}) : elle remplace celle de la table des tarifs. Videz la case "
                           "« BRSS » pour retrouver la base de ce médecin à cette date.</div>")
        sortie.value = conformite_html(g, jour) + base_saisie + plafond_html(g, jour, d) + decompte_html(d)

    def adhesion_changee(_change):
        # Une base saisie est celle d'un médecin précis : changer l'adhésion la vide, pour que la base vienne de la
        # table (28 € ou 31,50 € pour un adhérent, 23 € sinon) au lieu de rembourser l'adhérent comme le non-adhérent.
        if c["brss"].value.strip():
            c["brss"].value = ""

    c["adherent"].observe(adhesion_changee, names="value")
    enfants = [w.HBox([c["honoraires"], lecture]), c["brss"], c["date"], c["adherent"], c["niveau_dptam"],
               c["niveau_hors_dptam"], c["responsable"], sortie]
    return Exemple(c, enfants, sortie, calcul)


# --- 3. Le reste à charge selon les honoraires (graphique) -----------------------------------

def reste_a_charge_interactif(date_soins: date = date(2016, 3, 1), niveaux: str = "100, 150, 200",
                              specialite: str = "specialiste", responsable: bool = True) -> Exemple:
    """Date, niveaux de garantie, contrat responsable → la courbe du reste à charge selon les honoraires.

    Une seule figure, mise à jour à chaque changement (:class:`~reimb.presentation.graphiques.GraphiqueResteACharge`) :
    les courbes sont recalculées par lot (celles déjà vues sont gardées), l'image — les courbes seules,
    sur un fond rendu une fois — est rendue une fois ; le titre et la légende sont du HTML au-dessus de
    l'image. Un changement qui ne change pas ce qui est tracé (« 100,150 » → « 100, 150 ») ne redessine
    rien. Une date où rien ne peut être tracé (hors de la table des paramètres) : le message français
    s'affiche au-dessus de l'image, vide de courbes.
    """
    from .graphiques import GraphiqueResteACharge

    graphique = GraphiqueResteACharge(specialite=specialite, textes_html=True)
    c = {
        "date": w.DatePicker(value=date_soins, description="Date des soins", style=STYLE),
        "niveaux": w.Text(value=niveaux, description="Niveaux de garantie (% BRSS, séparés par des virgules)",
                          continuous_update=False, style=STYLE, layout=w.Layout(width="40em")),
        "responsable": w.Checkbox(value=responsable, description="Contrat responsable", style=STYLE),
    }
    image = w.Image(format="png", layout=w.Layout(max_width="760px"))
    legende = w.HTML(layout=w.Layout(max_width="760px"))
    message = w.HTML()
    trace = {"cle": None, "courbes": []}  # ce que montre l'image

    def calcul(ex):
        jour = _date(c["date"].value)
        valeurs = niveaux_saisis(c["niveaux"].value)
        cle = (jour, tuple(valeurs), c["responsable"].value)
        ex.figure = graphique.figure
        if cle != trace["cle"]:
            trace["cle"], trace["courbes"] = None, []
            try:
                trace["courbes"] = graphique.tracer(jour, valeurs, responsable=c["responsable"].value)
            finally:
                image.value = graphique.png()  # les courbes, ou des axes vides quand il n'y en a pas
                legende.value = graphique.legende_html()
            trace["cle"] = cle
        message.value = absences_html(trace["courbes"])

    ex = ExempleImage(c, [c["date"], c["niveaux"], c["responsable"], message, legende, image], image, message, calcul)
    ex.graphique, ex.legende = graphique, legende
    return ex


def absences_html(courbes) -> str:
    """Les courbes qui manquent, et pourquoi (une par type de médecin) ; ``""`` si toutes sont tracées."""
    vues, lignes = set(), []
    for courbe in courbes:
        qui = "adhérent" if courbe.adherent else "non adhérent"
        if courbe.absence is None or qui in vues:
            continue
        vues.add(qui)
        lignes.append(f"<div>Pas de courbe pour le médecin {qui} — {escape(courbe.absence)}</div>")
    if not lignes:
        return ""
    return ('<div class="reimb-avertissement" style="border-left:0.4em solid #E69F00;padding:0.3em 0.6em;line-height:1.4">'
            + "".join(lignes) + "</div>")


def niveaux_saisis(texte: str) -> list:
    """« 100, 150 %, frais réels » → les niveaux de garantie ; une saisie impossible lève une ErreurSaisie."""
    acceptes = "des pourcentages de la BRSS séparés par des virgules, par ex. 100, 150, 200 (ou « frais réels »)"
    morceaux = [m.strip().removesuffix("%").strip() for m in texte.replace(";", ",").split(",")]
    morceaux = [m for m in morceaux if m]
    if not morceaux:
        raise ErreurSaisie("niveaux", "aucun niveau saisi", acceptes)
    valeurs = []
    for m in morceaux:
        try:
            valeurs.append(Garantie(dptam=m, hors_dptam=m).dptam)
        except ErreurSaisie:
            raise ErreurSaisie("niveaux", f"« {m} » n'est pas un niveau de garantie", acceptes) from None
    return valeurs


class ExempleImage(Exemple):
    """Un exemple dont la sortie est une image : l'erreur s'affiche dans un HTML à côté."""

    def __init__(self, controles, enfants, image, message, calcul):
        self.message = message
        self.figure = None
        super().__init__(controles, enfants, image, calcul)


# --- 4. Le côté du médecin : engagements CAS / OPTAM sur une petite activité ------------------

def activite_simple(annee: int, opposables: int, avec_depassement: int, honoraires_depassement,
                    specialite: str = "specialiste") -> list[dict]:
    """Une petite activité d'une année : ``opposables`` consultations au tarif du secteur 1 et
    ``avec_depassement`` consultations facturées ``honoraires_depassement`` (base du secteur 1, médecin adhérent)."""
    from ..tarifs import brss

    jour = date(annee, 6, 1)
    base = brss("consultation", medecin("2DPTAM", specialite, jour), jour).valeur
    h = decimal_saisi(honoraires_depassement, "honoraires")
    return ([{"honoraires": base, "base": base, "date": jour, "libelle": "au tarif opposable"}] * opposables
            + [{"honoraires": h, "base": base, "date": jour, "libelle": "avec dépassement"}] * avec_depassement)


def optam_interactif(annee: int = 2018, opposables: int = 6, avec_depassement: int = 4, honoraires_depassement=50,
                     taux_reference="40", part_reference="50", specialite: str = "specialiste") -> Exemple:
    """Le côté du médecin : une activité d'une année (consultations au tarif opposable ou avec dépassement)
    → taux moyen de dépassement recalculé, part à tarif opposable, et verdict CAS / OPTAM."""
    from ..optam import evaluer_engagements
    from .tableaux import engagements_html

    decimal_saisi(honoraires_depassement, "honoraires")  # une valeur de départ illisible : erreur en français
    curseur, lecture = _curseur_honoraires(honoraires_depassement, 150, 1)
    curseur.description = "Honoraires des consultations avec dépassement"
    c = {
        "annee": w.Dropdown(options=list(range(2014, 2027)), value=annee, description="Année d'activité", style=STYLE),
        "opposables": w.IntSlider(value=opposables, min=0, max=40, description="Consultations au tarif opposable", style=STYLE,
                                  layout=_large()),
        "avec_depassement": w.IntSlider(value=avec_depassement, min=0, max=40, description="Consultations avec dépassement",
                                        style=STYLE, layout=_large()),
        "honoraires": curseur,
        "taux_reference": w.Text(value=str(taux_reference), description="Taux de dépassement de référence du médecin (%, vide : aucun)",
                                 continuous_update=False, style=STYLE, layout=w.Layout(width="40em")),
        "part_reference": w.Text(value=str(part_reference), description="Part à tarif opposable de référence (%, vide : aucune)",
                                 continuous_update=False, style=STYLE, layout=w.Layout(width="40em")),
    }
    sortie = w.HTML()

    def calcul(ex):
        h = _valeur_curseur(c["honoraires"])
        lecture.value = euros(h)
        jour = date(c["annee"].value, 6, 1)
        dispositif = medecin("2DPTAM", specialite, jour).dptam
        activite = activite_simple(c["annee"].value, c["opposables"].value, c["avec_depassement"].value, h, specialite)
        taux = c["taux_reference"].value.strip().removesuffix("%").strip()
        part = c["part_reference"].value.strip().removesuffix("%").strip()
        e = evaluer_engagements(activite, dispositif, taux_reference=taux or None, part_reference=part or None,
                                specialite=specialite)
        ex.engagements = e
        sortie.value = engagements_html(e)

    enfants = [c["annee"], c["opposables"], c["avec_depassement"], w.HBox([c["honoraires"], lecture]), c["taux_reference"],
               c["part_reference"], sortie]
    return Exemple(c, enfants, sortie, calcul)


# --- 5. Questions avec correction immédiate -------------------------------------------------

#: Les montants qu'une question peut demander, avec leur libellé.
CHAMPS = {
    "brss": "Base de remboursement (BRSS)",
    "amo_brut": "Remboursement Sécu avant participation forfaitaire",
    "participation_forfaitaire": "Participation forfaitaire",
    "ticket_moderateur": "Ticket modérateur",
    "depassement": "Dépassement d'honoraires",
    **PARTS,
}


class Question(w.VBox):
    """Une question chiffrée : une case par montant demandé et « Vérifier » ; l'indice et « Voir la correction »
    n'apparaissent qu'après une première réponse.

    La réponse lue est toujours la dernière tapée : les cases envoient chaque frappe (``continuous_update``) et, dans
    un noyau, la correction attend :data:`reimb.presentation.evaluation_vue.DELAI` secondes après le clic, le temps
    que la dernière frappe arrive (un clic peut passer devant elle ; mesuré dans Chromium : 30 sur 30 justes avec ce
    délai, 17 sur 20 sans).
    """

    def __repr__(self) -> str:
        return A_EXECUTER

    def __init__(self, enonce: str, d: Decompte, champs: Sequence[str] = ("reste_a_charge",), indice: str | None = None):
        self.attendu = {k: getattr(d, k) for k in champs}
        self.decompte = d
        self.indice = indice
        self.essais = 0
        self.controles = {
            k: w.Text(value="", placeholder="en euros, par ex. 12,50", description=f"{CHAMPS[k]}, en €", continuous_update=True,
                      style={"description_width": "22em"}, layout=w.Layout(width="36em"))
            for k in champs
        }
        self.verifier = w.Button(description="Vérifier", button_style="primary")
        self.correction = w.Button(description="Voir la correction", layout=w.Layout(display="none"))
        self.sortie = w.HTML(_consigne())
        self.verifier.on_click(lambda _b: self.au_clic())
        self.correction.on_click(lambda _b: self.montrer_correction())
        super().__init__(children=(w.HTML(f'<div class="reimb-question" style="line-height:1.4;margin-bottom:0.4em">{enonce}</div>'), *self.controles.values(),
                                   w.HBox([self.verifier, self.correction]), self.sortie))

    def au_clic(self) -> None:
        """Le clic sur « Vérifier » : la correction lit les cases après la dernière frappe (voir la classe)."""
        apres_derniere_frappe(self.corriger, self.verifier, self.sortie)

    def corriger(self) -> bool | None:
        """Compare les réponses aux montants de ``reimb`` ; affiche juste / faux (et le décompte si juste), en
        nommant l'erreur habituelle quand elle explique la réponse."""
        from ..evaluation import ERREURS, diagnostiquer

        reponses, erreurs = {}, []
        for k, case in self.controles.items():
            try:
                reponses[k] = decimal_saisi(case.value, CHAMPS[k])
            except ErreurSaisie as e:
                erreurs.append(e)
        if erreurs:
            self.sortie.value = "".join(erreur_html(e) for e in erreurs)
            return None
        self.essais += 1
        self.correction.layout.display = None
        fausses = [k for k in self.controles if reponses[k] != self.attendu[k]]
        if not fausses:
            self.sortie.value = ('<div class="reimb-correction" data-juste="true" style="border-left:0.4em solid #009E73;padding:0.3em 0.6em;line-height:1.4">'
                                 "<b>✔ Exact.</b> Voici le décompte complet :</div>" + decompte_html(self.decompte))
            return True
        lignes = "".join(f"<li>{escape(CHAMPS[k])} : vous avez répondu {escape(euros(reponses[k]))} — ce n'est pas le bon montant.</li>"
                         for k in fausses)
        code = diagnostiquer(self.decompte, {k: v for k, v in reponses.items() if k in fausses})
        diagnostic = (f'<p class="reimb-diagnostic" data-erreur="{escape(code)}"><b>Erreur fréquente</b> : {escape(ERREURS[code])}</p>'
                      if code else "")
        indice = f"<p>Indice : {self.indice}</p>" if self.indice else ""
        self.sortie.value = ('<div class="reimb-correction" data-juste="false" style="border-left:0.4em solid #D55E00;padding:0.3em 0.6em;line-height:1.4">'
                             f"<b>✘ Pas tout à fait.</b><ul>{lignes}</ul>{diagnostic}{indice}"
                             "Réessayez, ou cliquez sur « Voir la correction ».</div>")
        return False

    def montrer_correction(self) -> None:
        if not self.essais:
            return  # pas de correction avant une première réponse
        reponse = " ; ".join(f"{CHAMPS[k]} : {euros(v)}" for k, v in self.attendu.items())
        self.sortie.value = ('<div class="reimb-correction" data-juste="" style="border-left:0.4em solid #0072B2;padding:0.3em 0.6em;line-height:1.4">'
                             f"<b>Correction</b> — {escape(reponse)}</div>" + decompte_html(self.decompte))


def _consigne() -> str:
    return "<i>Saisissez vos réponses en euros, puis cliquez sur « Vérifier ».</i>"


def question(enonce: str, d: Decompte, champs: Sequence[str] = ("reste_a_charge",), indice: str | None = None) -> Question:
    """Une question avec correction immédiate ; la bonne réponse est calculée par ``reimb`` (le décompte ``d``)."""
    return Question(enonce, d, champs, indice)
