"""Un tableau de garanties entier, tel qu'un courtier le lit, et sa lecture depuis un fichier CSV ou TOML.

Un :class:`TableauGaranties` décrit ce qu'un contrat complémentaire promet :

- les consultations de généraliste et de spécialiste, pour les médecins adhérents à un DPTAM (et le
  secteur 1) et pour les autres : un niveau en % de la BRSS **Sécu comprise** (« 200 % BR »), un
  forfait en euros éventuel (« 100 % BR + 20 € »), ou « frais réels » ;
- le forfait journalier hospitalier (intégral, ou limité en durée) ;
- l'optique : plafond de la monture, plafond par équipement selon les verres, délai de renouvellement ;
- les paniers 100 % Santé (optique, dentaire, audiologie) ;
- les mentions que le courtier vérifie : ticket modérateur couvert, participation forfaitaire,
  franchises, majoration hors parcours et dépassements hors parcours exclus.

Les règles qui s'appliquent à ces lignes (plafonds, planchers, dates) ne sont pas ici : elles sont
dans ``parametres/contrat_responsable.toml`` et contrôlées par :func:`reimb.verifier_responsable`.

Fichiers (:func:`charger_garanties`) : un **TOML** (sections ``[consultation.generaliste]``…), un
**CSV** à deux colonnes ``poste;valeur`` (séparateur ``;`` conseillé, ``,`` accepté) ou un classeur
**Excel .xlsx** à la même disposition que le CSV, avec les mêmes noms de postes
(``consultation.generaliste.dptam``). Un exemple est livré avec le paquet
(:func:`exemple`). Une erreur nomme le fichier, la ligne et la colonne. Rien dans un fichier n'est
exécuté : les valeurs sont lues comme du texte ou des nombres, jamais évaluées.
"""

from __future__ import annotations

import csv
import difflib
import io
import numbers
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .erreurs import ErreurSaisie
from .formules import FORMES_ACCEPTEES, Formule, lire_formule
from .modele import FRAIS_REELS, Garantie, borner_niveau
from .montants import CENT, ZERO, en_decimal, euros, montant, pourcent

COMBINAISONS = {
    "simple": "deux verres simples",
    "simple_complexe": "un verre simple et un verre complexe",
    "complexe": "deux verres complexes",
    "simple_tres_complexe": "un verre simple et un verre très complexe",
    "complexe_tres_complexe": "un verre complexe et un verre très complexe",
    "tres_complexe": "deux verres très complexes",
}
SPECIALITES_TABLEAU = {"generaliste": "généraliste", "specialiste": "spécialiste"}
LIGNES = {"dptam": "médecins adhérents DPTAM", "hors_dptam": "médecins non adhérents"}
_FR = {"frais réels", "frais reels", "fr", "100 % fr", "100% fr", "100 % frais réels", "100 % des frais réels", "frais_reels"}
_NON = {"non", "néant", "neant", "-", "0", "0 %", "0%"}
_OUI_NON = {"oui": True, "non": False, "vrai": True, "faux": False, "true": True, "false": False, "o": True, "n": False}


class _Invalide(ErreurSaisie):
    """Une valeur refusée (message, valeurs acceptées) ; le lecteur de fichier y ajoute la ligne et la colonne."""

    def __init__(self, message: str, acceptes: str, champ: str = "valeur"):
        super().__init__(champ, message, acceptes)
        self.message = message


class ErreurFichier(ErreurSaisie):
    """Une :class:`ErreurSaisie` dans un fichier de garanties : ``fichier``, ``ligne`` et ``colonne`` (à partir de 1),
    et ``feuille`` pour un classeur .xlsx."""

    def __init__(self, fichier: str, ligne: int | None, colonne: int | None, message: str, acceptes: str | None = None,
                 feuille: str | None = None):
        self.fichier, self.ligne, self.colonne, self.feuille = fichier, ligne, colonne, feuille
        lieu = fichier
        if feuille is not None:
            lieu += f", feuille « {feuille} »"
        if ligne is not None:
            lieu += f", ligne {ligne}"
        if colonne is not None:
            lieu += f", colonne {colonne}"
        super().__init__(lieu, message, acceptes)


def _pourcentage(valeur, acceptes: str) -> Decimal:
    """Un pourcentage de la BRSS, lu et borné comme :func:`reimb.modele.niveau`."""
    try:
        return borner_niveau(en_decimal(valeur, "niveau"), "niveau")
    except ErreurSaisie as e:
        raise _Invalide(e.message.replace("n'est pas un montant", "n'est pas un niveau"), e.acceptes or acceptes) from None


# --- Les valeurs d'un tableau ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Niveau:
    """Un niveau de remboursement : ``pourcentage`` de la BRSS (Sécu comprise), ``forfait`` en euros en
    plus, ou ``frais_reels``. ``Niveau.lire("100 % BR + 20 €")`` → 100 % et 20 €.

    Les autres formulations d'un tableau (« RO + 100 % BR », « 100 % TM », « … dans la limite de 150 € par
    an » : :mod:`reimb.formules`) sont gardées dans ``formule`` ; :attr:`formule_lue` est toujours la
    :class:`~reimb.formules.Formule` du niveau."""

    pourcentage: Decimal | None = None
    forfait: Decimal = ZERO
    frais_reels: bool = False
    formule: Formule | None = None

    _NOMBRE = r"(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?"
    _MOTIF = re.compile(
        rf"^(?:(?P<pct>{_NOMBRE})\s*%\s*(?:de\s+la\s+)?(?:brss|br|bdr|tr|trs|base(?:\s+de\s+remboursement)?)?)?"
        rf"\s*(?:\+?\s*(?P<eur>{_NOMBRE})\s*(?:€|eur|euros))?$", re.ASCII
    )

    @classmethod
    def lire(cls, valeur) -> Niveau:
        """Lit « 200 % BR », « 200 », 200, « 100 % BRSS + 20 € », « 20 € », « frais réels », « non ».

        Les nombres (``int``, ``Decimal``, ``float``, nombres numpy) et les nombres écrits dans le texte
        (« 1 000 % », « 133,5 % ») suivent les règles de :func:`reimb.modele.niveau` (bornes comprises) ;
        un forfait est un montant au centime. Une valeur illisible ou hors bornes lève une
        :class:`ErreurSaisie` (champ ``valeur``).
        """
        if isinstance(valeur, Niveau):
            return valeur
        acceptes = "« 200 % BR », 200, « 100 % BR + 20 € », « 20 € », « frais réels » ou « non »"
        if isinstance(valeur, bool) or valeur is None:
            raise _Invalide(f"{valeur!r} n'est pas un niveau de garantie", acceptes)
        if not isinstance(valeur, str):
            if not isinstance(valeur, (numbers.Real, Decimal)):
                raise _Invalide(f"{type(valeur).__name__} n'est pas un niveau de garantie", acceptes)
            return cls(pourcentage=_pourcentage(valeur, acceptes))
        texte = " ".join(valeur.replace("\u00a0", " ").replace("\u202f", " ").split()).lower()
        if texte in _FR:
            return cls(frais_reels=True)
        if texte in _NON:
            return cls(pourcentage=ZERO)
        if re.fullmatch(cls._NOMBRE, texte, re.ASCII):
            return cls(pourcentage=_pourcentage(texte, acceptes))
        m = cls._MOTIF.match(texte)
        if not texte or not m or (m["pct"] is None and m["eur"] is None):
            from .modele import _nombre

            if _nombre(valeur):  # un nombre mal écrit (« 50, », « ５０ », « 1e3 ») n'est pas une formulation
                raise _Invalide(f"« {valeur} » n'est pas un niveau reconnu", acceptes)
            try:
                f = lire_formule(valeur, "valeur")
            except ErreurSaisie:
                raise _Invalide(f"« {valeur} » n'est pas un niveau reconnu", f"{acceptes} ; {FORMES_ACCEPTEES}") from None
            return cls(pourcentage=f.pourcentage if f.sur == "BR" and f.ro_inclus else None, forfait=f.forfait,
                       frais_reels=f.frais_reels, formule=f)
        if m["pct"] is None and texte.startswith("+"):
            raise _Invalide(f"« {valeur} » : un forfait seul s'écrit sans « + »", acceptes)
        pct = _pourcentage(m["pct"], acceptes) if m["pct"] else None
        eur = ZERO
        if m["eur"]:
            try:
                eur = montant(m["eur"], "forfait")
            except ErreurSaisie as e:
                raise _Invalide(f"forfait « {m['eur']} € » : {e.message}", e.acceptes or acceptes) from None
        return cls(pourcentage=pct, forfait=eur)

    @property
    def formule_lue(self) -> Formule:
        """La :class:`~reimb.formules.Formule` de ce niveau."""
        if self.formule is not None:
            return self.formule
        if self.frais_reels:
            return Formule(pourcentage=CENT, sur="FR", texte=self.texte)
        return Formule(pourcentage=self.pourcentage if self.pourcentage is not None else ZERO,
                       ro_inclus=self.pourcentage is not None, forfait=self.forfait, texte=self.texte)

    @property
    def texte(self) -> str:
        if self.formule is not None:
            return self.formule.texte or self.formule.libelle
        if self.frais_reels:
            return "frais réels"
        morceaux = []
        if self.pourcentage is not None:
            morceaux.append(f"{pourcent(self.pourcentage)} BRSS")
        if self.forfait:
            morceaux.append(euros(self.forfait))
        return " + ".join(morceaux) or "0 % BRSS"

    def equivalent(self, base: Decimal, taux_amo: Decimal | None = None, k: int = 2) -> Decimal | str:
        """Le niveau en % de la BRSS ``base`` : le forfait en euros y est converti (au centième de point pour
        ``k = 2`` ; ``"frais réels"`` tel quel) — la règle du noyau, :func:`reimb.decompte.equivalent_br`, qui lit
        le niveau comme le décompte (« 20 € » seul : la Sécurité sociale plus 20 €).

        Une forme « en plus de la Sécurité sociale » ou « % TM » dépend du taux Sécu ``taux_amo`` (en %) ;
        omis : la dernière valeur du taux des consultations (``parametres/taux_amo.toml``). ``k`` : l'échelle
        des pourcentages du décompte (:func:`reimb.decompte.echelle_du_jour`).
        """
        from .decompte import equivalent_br

        if self.frais_reels:
            return FRAIS_REELS
        if taux_amo is None:
            from .parametres import serie

            taux_amo = serie("taux_amo.consultation")[-1].valeur
        return equivalent_br(self.formule_lue, base, taux_amo, k)

    def pour_garantie(self, champ: str) -> Decimal | str | Formule:
        """Le niveau sous la forme de :class:`reimb.Garantie` : un ``Decimal`` ou ``"frais réels"`` pour les
        formes simples, la :class:`~reimb.formules.Formule` sinon."""
        f = self.formule_lue
        return f.niveau if f.simple else f


@dataclass(frozen=True, slots=True)
class LigneConsultation:
    """Une ligne « consultations » : niveau pour les médecins adhérents DPTAM (et secteur 1), et pour les autres."""

    dptam: Niveau
    hors_dptam: Niveau


@dataclass(frozen=True, slots=True)
class Optique:
    """Le poste optique : plafond de la monture (€), plafond par équipement selon les verres (€, monture
    comprise), délai de renouvellement d'un adulte (années)."""

    monture: Decimal | None = None
    equipements: tuple[tuple[str, Decimal], ...] = ()
    renouvellement_ans: int | None = None

    def equipement(self, combinaison: str) -> Decimal | None:
        return dict(self.equipements).get(combinaison)


@dataclass(frozen=True, slots=True)
class TableauGaranties:
    """Un tableau de garanties complet. Un champ ``None`` : le tableau n'en dit rien (la règle n'est pas contrôlée).

    ``responsable`` : le contrat se déclare responsable (ce que :func:`reimb.verifier_responsable` vérifie).
    """

    nom: str | None = None
    responsable: bool = True
    consultations: tuple[tuple[str, LigneConsultation], ...] = ()
    forfait_journalier: Niveau | None = None            # en % du forfait journalier, ou frais réels
    forfait_journalier_duree_max_jours: int | None = None
    optique: Optique | None = None
    panier_100_sante_optique: bool | None = None
    panier_100_sante_dentaire: bool | None = None
    panier_100_sante_audiologie: bool | None = None
    ticket_moderateur_couvert: bool | None = None
    participation_forfaitaire_exclue: bool | None = None
    franchises_exclues: bool | None = None
    majoration_hors_parcours_exclue: bool | None = None
    depassements_hors_parcours_exclus: bool | None = None
    source: str | None = None

    def consultation(self, specialite: str) -> LigneConsultation | None:
        return dict(self.consultations).get(specialite)

    def garantie(self, specialite: str = "generaliste") -> Garantie:
        """La :class:`reimb.Garantie` de la ligne de consultation, pour :func:`reimb.decompte`.

        Psychiatres et cardiologues relèvent de la ligne « spécialiste » du tableau.
        """
        cle = "generaliste" if specialite == "generaliste" else "specialiste"
        ligne = self.consultation(cle)
        if ligne is None:
            raise ErreurSaisie("specialite", f"le tableau n'a pas de ligne de consultation « {SPECIALITES_TABLEAU[cle]} »",
                               ", ".join(repr(s) for s, _ in self.consultations) or "aucune ligne dans ce tableau")
        return Garantie(
            dptam=ligne.dptam.pour_garantie(f"consultation.{cle}.dptam"),
            hors_dptam=ligne.hors_dptam.pour_garantie(f"consultation.{cle}.hors_dptam"),
            responsable=self.responsable, nom=self.nom,
        )


# --- Les postes d'un fichier ------------------------------------------------------------------------------

TEXTE_MAX = 200
"""Garde-fou : un nom de contrat d'au plus 200 caractères, sur une ligne."""


def _texte(v):
    if not isinstance(v, str) or not v.strip():
        raise _Invalide(f"{v!r} n'est pas un texte", "un texte, par ex. « Contrat Confort »")
    if any(ord(c) < 32 or ord(c) == 127 for c in v):
        raise _Invalide(f"{v!r} contient un caractère de contrôle (saut de ligne, tabulation, NUL…)",
                        "un texte sur une ligne, par ex. « Contrat Confort »")
    if len(v.strip()) > TEXTE_MAX:
        raise _Invalide(f"le texte a {len(v.strip())} caractères", f"un texte d'au plus {TEXTE_MAX} caractères")
    return v.strip()


def _booleen(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in _OUI_NON:
        return _OUI_NON[v.strip().lower()]
    raise _Invalide(f"« {v} » n'est ni oui ni non", "oui ou non (true ou false en TOML)")


ENTIER_MAX = 10_000
"""Garde-fou de saisie, pas une règle : une durée (jours, années) d'un tableau de garanties ne dépasse pas 10 000."""


def _entier(v):
    acceptes = f"un nombre entier de 0 à {ENTIER_MAX:_}".replace("_", "\u202f") + ", par ex. 2"
    if isinstance(v, bool):
        raise _Invalide(f"{v!r} n'est pas un nombre entier", acceptes)
    if isinstance(v, str):
        t = v.strip()
        # isdecimal() et non isdigit() (« ² » est un chiffre pour isdigit) ; chiffres ASCII seulement ;
        # longueur bornée avant int() (int() d'un texte de 5 000 chiffres lève ValueError).
        if t.isascii() and t.isdecimal() and len(t) <= len(str(ENTIER_MAX)) + 1:
            v = int(t)
    elif isinstance(v, numbers.Integral):
        v = int(v)
    if isinstance(v, int) and 0 <= v <= ENTIER_MAX:
        return v
    if isinstance(v, int) and v > ENTIER_MAX or isinstance(v, str) and v.strip().isascii() and v.strip().isdecimal():
        raise _Invalide(f"« {v} » est démesuré", acceptes)
    raise _Invalide(f"« {v} » n'est pas un nombre entier positif", acceptes)


def _euros(v):
    if isinstance(v, bool) or v is None:
        raise _Invalide(f"{v!r} n'est pas un montant", "un montant en euros, par ex. 100 ou « 100 € »")
    try:
        return montant(v, "montant")
    except ErreurSaisie as e:
        raise _Invalide(f"« {v} » n'est pas un montant valide", e.acceptes or "un montant en euros") from None


def _niveau(v):
    return Niveau.lire(v)


POSTES: dict[str, tuple] = {
    "nom": (_texte, "nom du contrat"),
    "responsable": (_booleen, "le contrat se déclare responsable"),
    **{f"consultation.{s}.{l}": (_niveau, f"consultation de {lib}, {LIGNES[l]}") for s, lib in SPECIALITES_TABLEAU.items() for l in LIGNES},
    "hospitalisation.forfait_journalier": (_niveau, "forfait journalier hospitalier (« frais réels », « 100 % », « non »)"),
    "hospitalisation.forfait_journalier_duree_max_jours": (_entier, "durée maximale de prise en charge du forfait journalier, en jours"),
    "optique.monture": (_euros, "plafond de la monture, en euros"),
    **{f"optique.equipement.{c}": (_euros, f"plafond d'un équipement à {lib}, en euros") for c, lib in COMBINAISONS.items()},
    "optique.renouvellement_ans": (_entier, "délai de renouvellement d'un adulte, en années"),
    "optique.panier_100_sante": (_booleen, "panier 100 % Santé optique pris en charge"),
    "dentaire.panier_100_sante": (_booleen, "panier 100 % Santé dentaire pris en charge"),
    "audiologie.panier_100_sante": (_booleen, "panier 100 % Santé audiologie pris en charge"),
    "regles.ticket_moderateur_couvert": (_booleen, "ticket modérateur couvert"),
    "regles.participation_forfaitaire_exclue": (_booleen, "participation forfaitaire non remboursée"),
    "regles.franchises_exclues": (_booleen, "franchises médicales non remboursées"),
    "regles.majoration_hors_parcours_exclue": (_booleen, "majoration du ticket modérateur hors parcours non remboursée"),
    "regles.depassements_hors_parcours_exclus": (_booleen, "dépassements hors parcours (DA) non remboursés"),
}
"""Les postes qu'un fichier peut donner : nom → (lecteur, description)."""


def _construire(postes: dict, lieux: dict, fichier: str, feuille: str | None = None) -> TableauGaranties:
    """Le tableau, depuis ``{poste: valeur brute}`` et ``{poste: (ligne, colonne du poste, colonne de la valeur)}``."""

    def erreur(poste, message, acceptes=None, sur_le_poste=False):
        cle = poste
        while cle not in lieux and "." in cle:   # une table en ligne : le lieu de la clé parente
            cle = cle.rsplit(".", 1)[0]
        ligne, col_poste, col_valeur = lieux.get(cle, (None, None, None))
        return ErreurFichier(fichier, ligne, col_poste if sur_le_poste else col_valeur, message, acceptes, feuille=feuille)

    lu = {}
    for poste, brut in postes.items():
        if poste not in POSTES:
            proches = difflib.get_close_matches(poste, POSTES, n=1)
            aide = f"vouliez-vous dire « {proches[0]} » ?" if proches else "voir reimb.garanties.POSTES"
            raise erreur(poste, f"poste inconnu « {poste} »", aide, sur_le_poste=True)
        lecteur, description = POSTES[poste]
        try:
            lu[poste] = lecteur(brut)
        except _Invalide as e:
            raise erreur(poste, f"{poste} ({description}) : {e.message}", e.acceptes) from None
        except ErreurSaisie as e:
            raise erreur(poste, f"{poste} ({description}) : {e.message}", e.acceptes) from None

    consultations = []
    for s in SPECIALITES_TABLEAU:
        d, h = lu.get(f"consultation.{s}.dptam"), lu.get(f"consultation.{s}.hors_dptam")
        if (d is None) != (h is None):
            present = f"consultation.{s}.dptam" if d is not None else f"consultation.{s}.hors_dptam"
            manque = f"consultation.{s}.hors_dptam" if d is not None else f"consultation.{s}.dptam"
            raise erreur(present, f"la ligne de consultation « {SPECIALITES_TABLEAU[s]} » donne {present} sans {manque}",
                         "les deux niveaux : médecins adhérents DPTAM et non adhérents", sur_le_poste=True)
        if d is not None:
            consultations.append((s, LigneConsultation(d, h)))
    optique = None
    if any(p.startswith("optique.") and p != "optique.panier_100_sante" for p in lu):
        optique = Optique(
            monture=lu.get("optique.monture"),
            equipements=tuple((c, lu[f"optique.equipement.{c}"]) for c in COMBINAISONS if f"optique.equipement.{c}" in lu),
            renouvellement_ans=lu.get("optique.renouvellement_ans"),
        )
    return TableauGaranties(
        nom=lu.get("nom"),
        responsable=lu.get("responsable", True),
        consultations=tuple(consultations),
        forfait_journalier=lu.get("hospitalisation.forfait_journalier"),
        forfait_journalier_duree_max_jours=lu.get("hospitalisation.forfait_journalier_duree_max_jours"),
        optique=optique,
        panier_100_sante_optique=lu.get("optique.panier_100_sante"),
        panier_100_sante_dentaire=lu.get("dentaire.panier_100_sante"),
        panier_100_sante_audiologie=lu.get("audiologie.panier_100_sante"),
        ticket_moderateur_couvert=lu.get("regles.ticket_moderateur_couvert"),
        participation_forfaitaire_exclue=lu.get("regles.participation_forfaitaire_exclue"),
        franchises_exclues=lu.get("regles.franchises_exclues"),
        majoration_hors_parcours_exclue=lu.get("regles.majoration_hors_parcours_exclue"),
        depassements_hors_parcours_exclus=lu.get("regles.depassements_hors_parcours_exclus"),
        source=fichier,
    )


# --- TOML ------------------------------------------------------------------------------------------------

_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_CLE = re.compile(r"^\s*([A-Za-z0-9_\-\.\"' ]+?)\s*=\s*")
_POSITION = re.compile(r"at line (\d+), column (\d+)")


def _sans_guillemets(cle: str) -> str:
    return ".".join(p.strip().strip("\"'") for p in cle.split("."))


def _lieux_toml(texte: str) -> dict:
    """Ligne et colonne de la valeur de chaque clé (``poste`` complet), pour nommer le lieu d'une erreur."""
    lieux, table = {}, ""
    for n, ligne in enumerate(texte.splitlines(), start=1):
        m = _TABLE.match(ligne)
        if m:
            table = _sans_guillemets(m.group(1))
            col = ligne.index("[") + 1
            lieux.setdefault(table, (n, col, col))
            continue
        m = _CLE.match(ligne)
        if m:
            cle = _sans_guillemets(m.group(1))
            lieux.setdefault(f"{table}.{cle}" if table else cle, (n, m.start(1) + 1, m.end() + 1))
    return lieux


PROFONDEUR_MAX = 8
"""Aucun poste n'a plus de 3 niveaux (« consultation.generaliste.dptam ») : au-delà de 8, le fichier est refusé."""

_TOML_FR = (
    ("Invalid value", "valeur illisible (un texte se met entre guillemets : \"100 % BR\")"),
    ("Cannot overwrite a value", "une clé est donnée deux fois"),
    ("Cannot declare", "une section est déclarée deux fois"),
    ("Cannot redefine", "une section est déclarée deux fois"),
    ("Cannot mutate", "une table en ligne ne se complète pas plus loin"),
    ("Duplicate inline table key", "une clé est donnée deux fois dans une table en ligne"),
    ("Expected '=' after a key", "« = » attendu après la clé"),
    ("Expected newline or end of document", "fin de ligne attendue après la valeur (un seul « clé = valeur » par ligne)"),
    ("Expected ']", "« ] » attendu à la fin du nom de section"),
    ("Expected", "caractère inattendu"),
    ("Found invalid character", "caractère interdit (fins de ligne Windows isolées, caractère de contrôle…)"),
    ("Illegal character", "caractère interdit dans un texte (saut de ligne, caractère de contrôle…)"),
    ("Unterminated string", "texte sans guillemet fermant"),
    ("Unclosed array", "liste sans « ] » fermant"),
    ("Unclosed inline table", "table en ligne sans « } » fermante"),
    ("Unescaped", "barre oblique inverse « \\ » non échappée dans un texte"),
    ("Invalid hex value", "séquence d'échappement invalide"),
    ("Escaped character", "séquence d'échappement invalide"),
    ("Invalid date", "date illisible"),
    ("Invalid statement", "ligne illisible (ni « clé = valeur », ni « [section] »)"),
    ("Invalid initial character for a key", "nom de clé illisible"),
)


def _cause_toml(message: str) -> str:
    """La cause d'une erreur de tomllib (en anglais), en français."""
    return next((fr for en, fr in _TOML_FR if message.startswith(en)), "syntaxe TOML invalide")


def _aplatir(noeud: dict, prefixe: str, sortie: dict, lieux: dict, fichier: str, profondeur: int = 1) -> None:
    for cle, valeur in noeud.items():
        nom = f"{prefixe}.{cle}" if prefixe else cle
        if isinstance(valeur, dict):
            if profondeur >= PROFONDEUR_MAX:
                ligne, _, colonne = lieux.get(nom, lieux.get(prefixe, (None, None, None)))
                raise ErreurFichier(fichier, ligne, colonne, f"imbrication trop profonde ({profondeur} niveaux et plus)",
                                    "des postes d'au plus 3 niveaux, par ex. [consultation.generaliste]")
            _aplatir(valeur, nom, sortie, lieux, fichier, profondeur + 1)
        elif isinstance(valeur, list):
            ligne, _, colonne = lieux.get(nom, lieux.get(prefixe, (None, None, None)))
            raise ErreurFichier(fichier, ligne, colonne, f"{nom} : une liste n'est pas acceptée", "une seule valeur par poste")
        else:
            sortie[nom] = valeur


def lire_toml(texte: str, fichier: str = "garanties.toml") -> TableauGaranties:
    """Un tableau de garanties écrit en TOML (voir ``reimb/donnees/garanties_exemple.toml``)."""
    if not isinstance(texte, str):
        raise ErreurSaisie("texte", f"type {type(texte).__name__} : un texte est attendu", "le contenu du fichier, en str")
    acceptes = "clé = valeur, un texte entre guillemets (« 100 % BR »), un nombre (200), true/false"
    try:
        donnees = tomllib.loads(texte, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        m = _POSITION.search(str(e))
        ligne, colonne = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        raise ErreurFichier(fichier, ligne, colonne, f"le fichier n'est pas un TOML valide : {_cause_toml(str(e))}", acceptes) from None
    except RecursionError:
        raise ErreurFichier(fichier, None, None, "le fichier n'est pas un TOML lisible : imbrication trop profonde",
                            "des postes d'au plus 3 niveaux, par ex. [consultation.generaliste]") from None
    lieux = _lieux_toml(texte)
    postes = {}
    _aplatir(donnees, "", postes, lieux, fichier)
    return _construire(postes, lieux, fichier)


# --- CSV -------------------------------------------------------------------------------------------------

_COLONNES_CSV = ("poste", "valeur", "commentaire")
_SEP_EXCEL = re.compile(r"^\s*sep\s*=\s*(.)\s*$", re.IGNORECASE)
LIGNE_MAX = 10_000
"""Garde-fou : une ligne d'un tableau de garanties tient en moins de 10 000 caractères."""


def _cellules(ligne: str, separateur: str, fichier: str, n: int) -> list[str]:
    """Les cellules d'une ligne physique ; une cellule ne tient que sur une ligne (pas de guillemet ouvert)."""
    if len(ligne) > LIGNE_MAX:
        raise ErreurFichier(fichier, n, None, f"la ligne a {len(ligne)} caractères",
                            f"des lignes de moins de {LIGNE_MAX} caractères : poste{separateur}valeur")
    try:
        return next(csv.reader([ligne], delimiter=separateur, strict=True), [])
    except csv.Error as e:
        souples = next(csv.reader([ligne], delimiter=separateur), [])
        if "unexpected end of data" in str(e):
            message = ("guillemet ouvert et jamais fermé sur la ligne : une cellule ne peut pas continuer sur la "
                       "ligne suivante")
        elif "expected after" in str(e):
            message = "texte après un guillemet fermant : une cellule entre guillemets finit au guillemet"
        else:
            message = "ligne illisible en CSV"
        raise ErreurFichier(fichier, n, len(souples) or None, message,
                            f"une cellule entre guillemets sur une seule ligne, par ex. \"100 % BR{separateur} 20 €\" ; "
                            "un guillemet dans un texte se double (\"\")") from None


def lire_csv(texte: str, fichier: str = "garanties.csv") -> TableauGaranties:
    """Un tableau de garanties écrit en CSV : colonnes ``poste;valeur`` (et ``commentaire`` facultative).

    Les lignes vides et celles qui commencent par ``#`` sont ignorées. Séparateur ``;`` (conseillé : la
    virgule est le séparateur décimal) ou ``,`` ; une première ligne ``sep=;`` (Excel) le fixe. Fins de
    ligne Windows, Unix ou Mac ; les cellules vides en fin de ligne (``;;``) sont ignorées. Une cellule
    tient sur une ligne : un guillemet jamais fermé est une erreur (il avalerait les lignes suivantes).
    """
    if not isinstance(texte, str):
        raise ErreurSaisie("texte", f"type {type(texte).__name__} : un texte est attendu", "le contenu du fichier, en str")
    lignes = texte.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lignes and lignes[0].startswith("\ufeff"):
        lignes[0] = lignes[0][1:]
    separateur = None
    postes, lieux, colonnes = {}, {}, None
    for n, ligne in enumerate(lignes, start=1):
        if not ligne.strip() or ligne.lstrip().startswith("#"):
            continue
        if separateur is None:
            m = _SEP_EXCEL.match(ligne)
            if m:  # « sep=; » : la première ligne qu'Excel écrit (ou lit) pour fixer le séparateur
                separateur = m.group(1)
                continue
            separateur = ";" if ";" in ligne else ("\t" if "\t" in ligne else ",")
        cellules = _cellules(ligne, separateur, fichier, n)
        while cellules and not cellules[-1].strip():   # « ;; » en fin de ligne (Excel)
            cellules.pop()
        if not cellules or cellules[0].lstrip().startswith("#"):
            continue
        if colonnes is None:
            noms = [c.strip().lower().lstrip("\ufeff") for c in cellules]
            for j, nom in enumerate(noms, start=1):
                if nom not in _COLONNES_CSV:
                    texte_nom = cellules[j - 1].strip()
                    message = f"colonne inconnue « {texte_nom} »" if texte_nom else "colonne sans nom entre deux colonnes"
                    raise ErreurFichier(fichier, n, j, message, " ; ".join(_COLONNES_CSV))
                if nom in noms[: j - 1]:
                    raise ErreurFichier(fichier, n, j, f"colonne « {nom} » en double", " ; ".join(_COLONNES_CSV))
            for requise in ("poste", "valeur"):
                if requise not in noms:
                    raise ErreurFichier(fichier, n, None, f"l'en-tête n'a pas de colonne « {requise} »",
                                        f"un en-tête « poste{separateur}valeur » (séparateur « ; » conseillé)")
            colonnes = {nom: j for j, nom in enumerate(noms)}
            continue
        if len(cellules) <= colonnes["valeur"]:
            raise ErreurFichier(fichier, n, len(cellules) + 1,
                                f"la ligne n'a que {len(cellules)} colonne(s) : la valeur manque",
                                f"poste{separateur}valeur — un texte contenant « {separateur} » se met entre guillemets")
        if len(cellules) > len(colonnes):
            raise ErreurFichier(fichier, n, len(colonnes) + 1,
                                f"la ligne a {len(cellules)} colonnes pour {len(colonnes)} dans l'en-tête",
                                f"un texte contenant « {separateur} » se met entre guillemets, par ex. \"100 % BR{separateur} 20 €\"")
        poste = cellules[colonnes["poste"]].strip()
        if not poste:
            raise ErreurFichier(fichier, n, colonnes["poste"] + 1, "le nom du poste est vide", "voir reimb.garanties.POSTES")
        if poste in postes:
            raise ErreurFichier(fichier, n, colonnes["poste"] + 1,
                                f"le poste « {poste} » est déjà donné ligne {lieux[poste][0]}", "chaque poste une seule fois")
        postes[poste] = cellules[colonnes["valeur"]].strip()
        lieux[poste] = (n, colonnes["poste"] + 1, colonnes["valeur"] + 1)
    if colonnes is None:
        raise ErreurFichier(fichier, None, None, "le fichier est vide", "une ligne d'en-tête « poste;valeur » puis une ligne par poste")
    return _construire(postes, lieux, fichier)


# --- XLSX (classeur Excel) -----------------------------------------------------------------------------

def _cellule_xlsx(cellule):
    """La valeur d'une cellule comme le lecteur de postes l'attend : texte, nombre exact, booléen.

    Un nombre au format pourcentage d'Excel (« 150 % » affiché, 1,5 stocké) redevient 150.
    """
    v = cellule.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
        if "%" in (cellule.number_format or ""):
            d = d * CENT
        return d.normalize() if d == d.to_integral_value() else d
    if isinstance(v, str):
        return v.strip()
    return str(v)


def lire_xlsx(source, fichier: str = "garanties.xlsx", feuille: str | None = None) -> TableauGaranties:
    """Un tableau de garanties dans un classeur Excel (.xlsx), même disposition que le CSV : une ligne
    d'en-tête ``poste | valeur | commentaire`` puis une ligne par poste, sur la première feuille (ou la
    feuille ``feuille``). ``source`` : un chemin ou le contenu du fichier (``bytes``).

    Les lignes vides et celles dont la première cellule commence par ``#`` sont ignorées. Une erreur
    nomme le fichier, la feuille, la ligne et la colonne (à partir de 1, comme dans le tableur).
    """
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        classeur = load_workbook(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ErreurFichier(fichier, None, None, "le fichier n'est pas un classeur Excel .xlsx lisible",
                            "un classeur .xlsx (dans un tableur : « Enregistrer sous… », format Excel 2007-365)") from None
    if feuille is None:
        ws = classeur.worksheets[0]
    elif feuille in classeur.sheetnames:
        ws = classeur[feuille]
    else:
        raise ErreurFichier(fichier, None, None, f"pas de feuille « {feuille} » dans le classeur",
                            ", ".join(f"« {n} »" for n in classeur.sheetnames))
    nom = ws.title
    postes, lieux, colonnes = {}, {}, None
    for cellules in ws.iter_rows():
        valeurs = [_cellule_xlsx(c) for c in cellules]
        while valeurs and valeurs[-1] == "":
            valeurs.pop()
        if not valeurs or (isinstance(valeurs[0], str) and valeurs[0].startswith("#")):
            continue
        ligne = cellules[0].row
        if colonnes is None:
            noms = [str(v).strip().lower() for v in valeurs]
            for j, n in enumerate(noms, start=1):
                if n not in _COLONNES_CSV:
                    raise ErreurFichier(fichier, ligne, j, f"colonne inconnue « {valeurs[j - 1]} »", " ; ".join(_COLONNES_CSV), feuille=nom)
            for requise in ("poste", "valeur"):
                if requise not in noms:
                    raise ErreurFichier(fichier, ligne, None, f"l'en-tête n'a pas de colonne « {requise} »",
                                        "une première ligne « poste | valeur » (et « commentaire », facultative)", feuille=nom)
            colonnes = {n: j for j, n in enumerate(noms)}
            continue
        if len(valeurs) > len(colonnes):
            raise ErreurFichier(fichier, ligne, len(colonnes) + 1,
                                f"la ligne a {len(valeurs)} cellules remplies pour {len(colonnes)} colonnes dans l'en-tête",
                                "une valeur par cellule, sous son en-tête", feuille=nom)
        poste = valeurs[colonnes["poste"]] if len(valeurs) > colonnes["poste"] else ""
        if not isinstance(poste, str) or not poste:
            raise ErreurFichier(fichier, ligne, colonnes["poste"] + 1, "le nom du poste est vide", "voir reimb.garanties.POSTES", feuille=nom)
        if len(valeurs) <= colonnes["valeur"] or valeurs[colonnes["valeur"]] == "":
            raise ErreurFichier(fichier, ligne, colonnes["valeur"] + 1, f"la valeur du poste « {poste} » manque",
                                POSTES[poste][1] if poste in POSTES else "une valeur sous l'en-tête « valeur »", feuille=nom)
        if poste in postes:
            raise ErreurFichier(fichier, ligne, colonnes["poste"] + 1,
                                f"le poste « {poste} » est déjà donné ligne {lieux[poste][0]}", "chaque poste une seule fois", feuille=nom)
        postes[poste] = valeurs[colonnes["valeur"]]
        lieux[poste] = (ligne, colonnes["poste"] + 1, colonnes["valeur"] + 1)
    if colonnes is None:
        raise ErreurFichier(fichier, None, None, "la feuille est vide", "une ligne d'en-tête « poste | valeur » puis une ligne par poste", feuille=nom)
    return _construire(postes, lieux, fichier, feuille=nom)


# --- Fichiers --------------------------------------------------------------------------------------------

TAILLE_MAX = 1_000_000
"""Garde-fou : un tableau de garanties tient en quelques kilo-octets ; au-delà d'un mégaoctet, le fichier est refusé."""


def _lieu_octet(brut: bytes, position: int) -> tuple[int, int]:
    ligne = brut[:position].count(b"\n") + 1
    return ligne, position - (brut.rfind(b"\n", 0, position) + 1) + 1


def _decoder(brut: bytes, nom: str, csv_: bool) -> str:
    """Le texte du fichier : UTF-8 (avec ou sans BOM) ; pour un CSV, aussi UTF-16 avec BOM et, à défaut,
    Windows-1252, l'encodage par défaut d'Excel en français (le fichier ne déclare pas d'encodage)."""
    if csv_ and brut.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return brut.decode("utf-16")
        except UnicodeDecodeError:
            raise ErreurFichier(nom, None, None, "le fichier commence comme un UTF-16 mais n'en est pas un",
                                "un fichier enregistré en « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »") from None
    try:
        return brut.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        ligne, colonne = _lieu_octet(brut, e.start)
        if not csv_:
            raise ErreurFichier(nom, ligne, colonne, "le fichier n'est pas en UTF-8 (un fichier TOML l'est toujours)",
                                "un fichier enregistré en UTF-8") from None
    try:
        return brut.decode("cp1252")
    except UnicodeDecodeError as e:
        ligne, colonne = _lieu_octet(brut, e.start)
        raise ErreurFichier(nom, ligne, colonne, "le fichier n'est ni en UTF-8 ni en Windows-1252 (l'encodage d'Excel)",
                            "un fichier enregistré en « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »") from None


def charger_garanties(chemin) -> TableauGaranties:
    """Lit un tableau de garanties depuis un fichier ``.toml`` (UTF-8), ``.csv`` ou ``.xlsx`` (Excel, même
    disposition que le CSV : :func:`lire_xlsx`).

    Un CSV peut être celui qu'écrit Excel en français (« CSV (séparateur : point-virgule) » :
    Windows-1252, ``;``, virgule décimale, fins de ligne Windows, ``;;`` en fin de ligne, ligne
    ``sep=;``) ou un « CSV UTF-8 ». Seul un fichier ordinaire de moins d'un mégaoctet est lu.
    """
    acceptes_chemin = "un chemin de fichier : str ou pathlib.Path (pas un fichier ouvert ni des octets)"
    if isinstance(chemin, (bytes, bytearray)) or not isinstance(chemin, (str, os.PathLike)):
        raise ErreurSaisie("chemin", f"{chemin!r} (type {type(chemin).__name__}) n'est pas un chemin de fichier", acceptes_chemin)
    try:
        chemin = Path(chemin)
    except TypeError:
        raise ErreurSaisie("chemin", f"{chemin!r} n'est pas un chemin de fichier", acceptes_chemin) from None
    if not str(chemin).strip() or str(chemin) == ".":
        raise ErreurSaisie("chemin", "le chemin est vide", acceptes_chemin)
    suffixe = chemin.suffix.lower()
    if suffixe not in (".toml", ".csv", ".xlsx"):
        raise ErreurSaisie("chemin", f"« {chemin.name} » : extension {suffixe or '(aucune)'} non reconnue", "un fichier .toml, .csv ou .xlsx")
    try:
        etat = chemin.stat()
    except OSError as e:
        raise ErreurSaisie("chemin", f"« {chemin} » ne peut pas être lu ({e.strerror})", "le chemin d'un fichier existant") from None
    except ValueError:  # un caractère NUL dans le chemin
        raise ErreurSaisie("chemin", f"{str(chemin)!r} n'est pas un chemin valide", acceptes_chemin) from None
    if stat.S_ISDIR(etat.st_mode):
        raise ErreurSaisie("chemin", f"« {chemin} » est un dossier", "le chemin d'un fichier .toml, .csv ou .xlsx")
    if not stat.S_ISREG(etat.st_mode):
        # Un tube (FIFO) bloquerait la lecture, un périphérique (/dev/zero) ne finirait jamais.
        raise ErreurSaisie("chemin", f"« {chemin} » n'est pas un fichier ordinaire (périphérique, tube…)",
                           "le chemin d'un fichier .toml, .csv ou .xlsx")
    trop_gros = ErreurSaisie("chemin", f"« {chemin.name} » fait plus d'un mégaoctet : ce n'est pas un tableau de garanties",
                             f"un fichier de moins de {TAILLE_MAX // 1_000_000} Mo (un tableau de garanties fait quelques Ko)")
    if etat.st_size > TAILLE_MAX:
        raise trop_gros
    try:
        with open(chemin, "rb") as f:
            brut = f.read(TAILLE_MAX + 1)
    except OSError as e:
        raise ErreurSaisie("chemin", f"« {chemin} » ne peut pas être lu ({e.strerror})", "le chemin d'un fichier existant") from None
    if len(brut) > TAILLE_MAX:
        raise trop_gros
    if suffixe == ".xlsx":
        return lire_xlsx(brut, chemin.name)
    texte = _decoder(brut, chemin.name, suffixe == ".csv")
    return lire_toml(texte, chemin.name) if suffixe == ".toml" else lire_csv(texte, chemin.name)


def exemple(format: str = "toml") -> Path:
    """Le chemin du tableau de garanties d'exemple livré avec le paquet (``"toml"`` ou ``"csv"``)."""
    if format not in ("toml", "csv"):
        raise ErreurSaisie("format", f"{format!r} inconnu", "'toml' ou 'csv'")
    return Path(__file__).parent / "donnees" / f"garanties_exemple.{format}"
