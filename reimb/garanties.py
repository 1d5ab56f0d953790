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
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .erreurs import ErreurSaisie
from .formules import FORMES_ACCEPTEES, Formule, lire_formule
from .modele import FRAIS_REELS, Garantie
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

    _MOTIF = re.compile(
        r"^(?:(?P<pct>\d+(?:[.,]\d+)?)\s*%\s*(?:de\s+la\s+)?(?:brss|br|bdr|tr|trs|base(?:\s+de\s+remboursement)?)?)?"
        r"\s*(?:\+?\s*(?P<eur>\d+(?:[.,]\d{1,2})?)\s*(?:€|eur|euros))?$"
    )

    @classmethod
    def lire(cls, valeur) -> Niveau:
        """Lit « 200 % BR », « 200 », 200, « 100 % BRSS + 20 € », « 20 € », « frais réels », « non ».

        Une valeur illisible lève une :class:`ErreurSaisie` (champ ``valeur``).
        """
        if isinstance(valeur, Niveau):
            return valeur
        acceptes = "« 200 % BR », 200, « 100 % BR + 20 € », « 20 € », « frais réels » ou « non »"
        if isinstance(valeur, bool) or valeur is None:
            raise _Invalide(f"{valeur!r} n'est pas un niveau de garantie", acceptes)
        if isinstance(valeur, (int, Decimal, float)):
            d = en_decimal(valeur, "niveau")
            if d < 0:
                raise _Invalide(f"un niveau de {d} % est négatif", acceptes)
            return cls(pourcentage=d)
        if not isinstance(valeur, str):
            raise _Invalide(f"{type(valeur).__name__} n'est pas un niveau de garantie", acceptes)
        texte = " ".join(valeur.replace("\u00a0", " ").replace("\u202f", " ").split()).lower()
        if texte in _FR:
            return cls(frais_reels=True)
        if texte in _NON:
            return cls(pourcentage=ZERO)
        if re.fullmatch(r"\d+(?:[.,]\d+)?", texte):
            return cls(pourcentage=Decimal(texte.replace(",", ".")))
        m = cls._MOTIF.match(texte)
        if not texte or not m or (m["pct"] is None and m["eur"] is None):
            try:
                f = lire_formule(valeur, "valeur")
            except ErreurSaisie:
                raise _Invalide(f"« {valeur} » n'est pas un niveau reconnu", f"{acceptes} ; {FORMES_ACCEPTEES}") from None
            return cls(pourcentage=f.pourcentage if f.sur == "BR" and f.ro_inclus else None, forfait=f.forfait,
                       frais_reels=f.frais_reels, formule=f)
        if m["pct"] is None and texte.startswith("+"):
            raise _Invalide(f"« {valeur} » : un forfait seul s'écrit sans « + »", acceptes)
        pct = Decimal(m["pct"].replace(",", ".")) if m["pct"] else None
        eur = Decimal(m["eur"].replace(",", ".")).quantize(Decimal("0.01")) if m["eur"] else ZERO
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

    def equivalent(self, base: Decimal, taux_amo: Decimal | None = None) -> Decimal | str:
        """Le niveau en % de la BRSS ``base`` : le forfait en euros y est converti (``"frais réels"`` tel quel).

        Une forme « en plus de la Sécurité sociale » ou « % TM » dépend du taux Sécu ``taux_amo`` (en %) ;
        omis : la dernière valeur du taux des consultations (``parametres/taux_amo.toml``).
        """
        if self.formule is not None and not self.formule.frais_reels:
            from .parametres import serie
            from .regles_formules import equivalent_br

            if taux_amo is None:
                taux_amo = serie("taux_amo.consultation")[-1].valeur
            return equivalent_br(self.formule, brss=int(base * 100), taux_amo=taux_amo)
        if self.frais_reels:
            return FRAIS_REELS
        pct = self.pourcentage if self.pourcentage is not None else ZERO
        return pct + (self.forfait * CENT / base if self.forfait else ZERO)

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

def _texte(v):
    if not isinstance(v, str) or not v.strip():
        raise _Invalide(f"{v!r} n'est pas un texte", "un texte, par ex. « Contrat Confort »")
    return v.strip()


def _booleen(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in _OUI_NON:
        return _OUI_NON[v.strip().lower()]
    raise _Invalide(f"« {v} » n'est ni oui ni non", "oui ou non (true ou false en TOML)")


def _entier(v):
    if isinstance(v, bool):
        raise _Invalide(f"{v!r} n'est pas un nombre entier", "un nombre entier ≥ 0, par ex. 2")
    if isinstance(v, str) and v.strip().isdigit():
        v = int(v.strip())
    if isinstance(v, int) and v >= 0:
        return v
    raise _Invalide(f"« {v} » n'est pas un nombre entier positif", "un nombre entier ≥ 0, par ex. 2")


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
            raise erreur(poste, f"{poste} ({description}) : {e}", e.acceptes) from None

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


def _aplatir(noeud: dict, prefixe: str, sortie: dict, lieux: dict, fichier: str) -> None:
    for cle, valeur in noeud.items():
        nom = f"{prefixe}.{cle}" if prefixe else cle
        if isinstance(valeur, dict):
            _aplatir(valeur, nom, sortie, lieux, fichier)
        elif isinstance(valeur, list):
            ligne, _, colonne = lieux.get(nom, lieux.get(prefixe, (None, None, None)))
            raise ErreurFichier(fichier, ligne, colonne, f"{nom} : une liste n'est pas acceptée", "une seule valeur par poste")
        else:
            sortie[nom] = valeur


def lire_toml(texte: str, fichier: str = "garanties.toml") -> TableauGaranties:
    """Un tableau de garanties écrit en TOML (voir ``reimb/donnees/garanties_exemple.toml``)."""
    try:
        donnees = tomllib.loads(texte, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        m = _POSITION.search(str(e))
        ligne, colonne = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        cause = _POSITION.sub("", str(e)).strip(" ()")
        raise ErreurFichier(fichier, ligne, colonne, f"le fichier n'est pas un TOML valide ({cause})",
                            "clé = valeur, un texte entre guillemets (« 100 % BR »), un nombre (200), true/false") from None
    lieux = _lieux_toml(texte)
    postes = {}
    _aplatir(donnees, "", postes, lieux, fichier)
    return _construire(postes, lieux, fichier)


# --- CSV -------------------------------------------------------------------------------------------------

_COLONNES_CSV = ("poste", "valeur", "commentaire")


def lire_csv(texte: str, fichier: str = "garanties.csv") -> TableauGaranties:
    """Un tableau de garanties écrit en CSV : colonnes ``poste;valeur`` (et ``commentaire`` facultative).

    Les lignes vides et celles qui commencent par ``#`` sont ignorées. Séparateur ``;`` (conseillé : la
    virgule est le séparateur décimal) ou ``,``.
    """
    lignes = texte.splitlines()
    entete_n = next((n for n, l in enumerate(lignes, start=1) if l.strip() and not l.lstrip().startswith("#")), None)
    if entete_n is None:
        raise ErreurFichier(fichier, None, None, "le fichier est vide", "une ligne d'en-tête « poste;valeur » puis une ligne par poste")
    separateur = ";" if ";" in lignes[entete_n - 1] else ","
    lecteur = csv.reader(io.StringIO(texte), delimiter=separateur)
    postes, lieux, colonnes = {}, {}, None
    fin_precedente = 0
    for cellules in lecteur:
        debut = fin_precedente + 1           # première ligne physique de l'enregistrement
        fin_precedente = lecteur.line_num
        if not any(c.strip() for c in cellules) or cellules[0].lstrip().startswith("#"):
            continue
        if colonnes is None:
            noms = [c.strip().lower().lstrip("\ufeff") for c in cellules]
            for j, nom in enumerate(noms, start=1):
                if nom not in _COLONNES_CSV:
                    raise ErreurFichier(fichier, debut, j, f"colonne inconnue « {cellules[j - 1].strip()} »", " ; ".join(_COLONNES_CSV))
            for requise in ("poste", "valeur"):
                if requise not in noms:
                    raise ErreurFichier(fichier, debut, None, f"l'en-tête n'a pas de colonne « {requise} »",
                                        f"un en-tête « poste{separateur}valeur » (séparateur « ; » conseillé)")
            colonnes = {nom: j for j, nom in enumerate(noms)}
            continue
        if len(cellules) <= colonnes["valeur"]:
            raise ErreurFichier(fichier, debut, len(cellules) + 1,
                                f"la ligne n'a que {len(cellules)} colonne(s) : la valeur manque",
                                f"poste{separateur}valeur — un texte contenant « {separateur} » se met entre guillemets")
        if len(cellules) > len(colonnes):
            raise ErreurFichier(fichier, debut, len(colonnes) + 1,
                                f"la ligne a {len(cellules)} colonnes pour {len(colonnes)} dans l'en-tête",
                                f"un texte contenant « {separateur} » se met entre guillemets, par ex. \"100 % BR{separateur} 20 €\"")
        poste = cellules[colonnes["poste"]].strip()
        if not poste:
            raise ErreurFichier(fichier, debut, colonnes["poste"] + 1, "le nom du poste est vide", "voir reimb.garanties.POSTES")
        if poste in postes:
            raise ErreurFichier(fichier, debut, colonnes["poste"] + 1,
                                f"le poste « {poste} » est déjà donné ligne {lieux[poste][0]}", "chaque poste une seule fois")
        postes[poste] = cellules[colonnes["valeur"]].strip()
        lieux[poste] = (debut, colonnes["poste"] + 1, colonnes["valeur"] + 1)
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

def charger_garanties(chemin) -> TableauGaranties:
    """Lit un tableau de garanties depuis un fichier ``.toml``, ``.csv`` (UTF-8) ou ``.xlsx`` (Excel)."""
    chemin = Path(chemin)
    suffixe = chemin.suffix.lower()
    if suffixe not in (".toml", ".csv", ".xlsx"):
        raise ErreurSaisie("chemin", f"« {chemin.name} » : extension {suffixe or '(aucune)'} non reconnue", "un fichier .toml, .csv ou .xlsx")
    try:
        brut = chemin.read_bytes()
    except OSError as e:
        raise ErreurSaisie("chemin", f"« {chemin} » ne peut pas être lu ({e.strerror})", "le chemin d'un fichier existant") from None
    if suffixe == ".xlsx":
        return lire_xlsx(brut, chemin.name)
    try:
        texte = brut.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        ligne = brut[: e.start].count(b"\n") + 1
        colonne = e.start - (brut.rfind(b"\n", 0, e.start) + 1) + 1
        raise ErreurFichier(chemin.name, ligne, colonne, "le fichier n'est pas en UTF-8",
                            "un fichier enregistré en UTF-8 (dans un tableur : « CSV UTF-8 »)") from None
    return lire_toml(texte, chemin.name) if suffixe == ".toml" else lire_csv(texte, chemin.name)


def exemple(format: str = "toml") -> Path:
    """Le chemin du tableau de garanties d'exemple livré avec le paquet (``"toml"`` ou ``"csv"``)."""
    if format not in ("toml", "csv"):
        raise ErreurSaisie("format", f"{format!r} inconnu", "'toml' ou 'csv'")
    return Path(__file__).parent / "donnees" / f"garanties_exemple.{format}"
