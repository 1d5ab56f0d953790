"""Les formulations d'une garantie, telles qu'un courtier les lit dans un tableau de garanties.

Un tableau écrit « 150 % BR », « 150 % BR RO inclus », « RO + 100 % BR », « 100 % BR + 20 € »,
« 100 % TM », « frais réels », « … dans la limite de 150 € par an » : :func:`lire_formule` lit ces
textes (et un nombre : « 150 » veut dire 150 % de la BR, Sécurité sociale comprise) et rend une
:class:`Formule`, petite valeur immuable. Les formes reconnues et leurs sources sont dans
``docs/formulations.md`` ; le calcul de chaque forme est une règle du noyau (:mod:`reimb.regles.noyau` :
``formule_ligne``, ``montant_garanti`` ; ``equivalent_br`` pour la double limite).

>>> lire_formule("RO + 100 % BR")
Formule(pourcentage=Decimal('100'), sur='BR', ro_inclus=False, forfait=Decimal('0.00'), plafond_annuel=None, texte='RO + 100 % BR')
>>> lire_formule("150 % de la BR y compris le remboursement de la Sécurité sociale").libelle
'150\xa0% de la BR, Sécurité sociale comprise'
>>> lire_formule("100 % BR + 20 €").libelle
'100\xa0% de la BR, Sécurité sociale comprise, + 20,00\xa0€ par acte'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .erreurs import ErreurSaisie
from .montants import CENT, CENTIME, ZERO, en_decimal

FRAIS_REELS = "frais réels"
BASES = ("BR", "TM", "FR")

FORMES_ACCEPTEES = (
    "un nombre ≥ 0 (100, 125, 150… : % de la BR, Sécurité sociale comprise), « 150 % BR », « 150 % BRSS », « 150 % BR RO inclus », "
    "« 150 % de la BR y compris le remboursement de la Sécurité sociale », "
    "« RO + 100 % BR » ou « 100 % BR en plus du RO » (en plus de la Sécurité sociale), "
    "« 100 % BR + 20 € » (un forfait par acte en plus), « 100 % TM » (le ticket modérateur), "
    "« frais réels » (« FR », « 100 % FR »), « 90 % FR », « 20 € » (forfait par acte), « 50 € par an », "
    "et « … dans la limite de 150 € par an » ; « non » ou 0 : rien"
)


@dataclass(frozen=True, slots=True)
class Formule:
    """Une garantie lue : ``pourcentage`` de la base ``sur`` (``"BR"`` : la base de remboursement,
    ``"TM"`` : le ticket modérateur, ``"FR"`` : les frais réels), Sécurité sociale comprise ou non
    (``ro_inclus``), ``forfait`` en euros par acte versé en plus, ``plafond_annuel`` en euros par
    personne et par an (``None`` : pas de plafond) ; ``texte`` : la formulation lue.

    ``ro_inclus`` vaut ``False`` pour « RO + 100 % BR » et pour un ticket modérateur (« 100 % TM »),
    qui est par nature la part laissée par la Sécurité sociale.
    """

    pourcentage: Decimal
    sur: str = "BR"
    ro_inclus: bool = True
    forfait: Decimal = ZERO
    plafond_annuel: Decimal | None = None
    texte: str = ""

    def __post_init__(self):
        if self.sur not in BASES:
            raise ErreurSaisie("formule.sur", f"{self.sur!r} n'est pas une base", "'BR', 'TM' ou 'FR'")
        for nom in ("pourcentage", "forfait"):
            v = getattr(self, nom)
            if not isinstance(v, Decimal) or not v.is_finite() or v < 0:
                raise ErreurSaisie(f"formule.{nom}", f"{v!r} n'est pas un nombre positif ou nul", "un Decimal ≥ 0")
        if self.plafond_annuel is not None and (not isinstance(self.plafond_annuel, Decimal) or self.plafond_annuel < 0):
            raise ErreurSaisie("formule.plafond_annuel", f"{self.plafond_annuel!r} n'est pas un montant", "un Decimal ≥ 0 ou None")

    @property
    def frais_reels(self) -> bool:
        """« frais réels » : 100 % de la dépense, Sécurité sociale comprise."""
        return self.sur == "FR" and self.pourcentage == CENT

    @property
    def simple(self) -> bool:
        """Une forme que l'ancien niveau exprimait déjà : « X % BR » Sécu comprise ou « frais réels », sans forfait ni plafond."""
        return (self.forfait == ZERO and self.plafond_annuel is None and self.ro_inclus
                and (self.sur == "BR" or self.frais_reels))

    @property
    def niveau(self) -> Decimal | str | None:
        """Le niveau à l'ancienne (``Decimal`` en % BR Sécu comprise, ou ``"frais réels"``) ; ``None`` si la forme n'en est pas un."""
        if not self.simple:
            return None
        return FRAIS_REELS if self.frais_reels else self.pourcentage

    @property
    def libelle(self) -> str:
        """La formule en clair, en français : « 100 % de la BR en plus de la Sécurité sociale »."""
        from .montants import euros, pourcent

        if self.frais_reels:
            morceaux = ["frais réels, Sécurité sociale comprise"]
        elif self.sur == "FR":
            morceaux = [f"{pourcent(self.pourcentage)} des frais réels, Sécurité sociale comprise"]
        elif self.sur == "TM":
            morceaux = [f"{pourcent(self.pourcentage)} du ticket modérateur"]
        elif self.pourcentage == ZERO and self.forfait:
            morceaux = []
        elif self.ro_inclus:
            morceaux = [f"{pourcent(self.pourcentage)} de la BR, Sécurité sociale comprise"]
        else:
            morceaux = [f"{pourcent(self.pourcentage)} de la BR en plus de la Sécurité sociale"]
        if self.forfait:
            morceaux.append(("+ " if morceaux else "forfait de ") + f"{euros(self.forfait)} par acte")
        texte = ", ".join(morceaux) if morceaux else "rien"
        if self.plafond_annuel is not None:
            texte += f", dans la limite de {euros(self.plafond_annuel)} par an"
        return texte

    def __str__(self) -> str:
        return self.texte or self.libelle


# --- Lecture -----------------------------------------------------------------------------------------------

def _normaliser(texte: str) -> str:
    """Minuscules, sans accents, espaces simples (insécables compris), apostrophes droites, virgule décimale → point."""
    t = texte.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'").replace("\u2009", " ")
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = re.sub(r"(\d)\s+(?=\d{3}\b)", r"\1", t)          # « 1 400 € » → « 1400 € »
    t = re.sub(r"(\d),(\d)", r"\1.\2", t)
    t = t.replace("€", " € ").replace("%", " % ")
    t = re.sub(r"\beuros?\b|\beur\b", " € ", t)
    return " ".join(t.split())


_NOMBRE = r"([0-9]+(?:\.[0-9]+)?)"
_SECU = (r"(?:(?:le |la |l'|du |de la |de l'|des )?(?:remboursements? |prise en charge |part )?(?:de la |du |de l'|des )?"
         r"(?:securite sociale|secu|regimes obligatoires|regime obligatoire|regime de base|assurance maladie(?: obligatoire)?|ro|r\.o\.|ss|amo)\b)")
_INCLUS = re.compile(
    r"(?:\(?\s*(?:"
    rf"(?:y compris|y\.c\.|yc|incluant|inclus|dont|sous deduction d[eu]s?|apres deduction d[eu]s?) {_SECU}"
    rf"|{_SECU} (?:incluse|inclus|inclu|comprise|compris|deduite|deduit)s?\b"
    r")\s*\)?)"
)
_EN_PLUS = re.compile(
    r"(?:\(?\s*(?:en plus|en sus|en complement|au-dela|au dela|hors) (?:du |de la |de l'|des )?"
    rf"{_SECU}\s*\)?)"
)
_PREFIXE_PLUS = re.compile(rf"^{_SECU} ?\+ ?")
_PLAFOND = re.compile(
    r"(?:\(?\s*,?\s*(?:dans la limite (?:de |d'un plafond de )?|limite(?:e|s)? a |plafonne(?:e|s)? a |plafond (?:de )?|maximum |max\.? |jusqu'a )"
    rf"{_NOMBRE} ?€ ?(?:par an|/ ?an|par annee(?: civile| d'adhesion)?|annuels?|chaque annee)"
    r"(?: (?:et )?par (?:beneficiaire|assure|personne|an))*\s*\)?)"
)
_LIMITE_FR = re.compile(r",?\s*\(?dans la limite des (?:frais reels|depenses (?:reelles|engagees))\)?")
_POURCENT = re.compile(
    rf"{_NOMBRE} ?% ?(?:de la |du |des |de l'|d'un |de )?"
    r"(br|brss|bdr|tr|trs|tc|base de remboursement(?: de la securite sociale| de l'assurance maladie)?|base|"
    r"tarif de convention|tarif de responsabilite|tarif de reference|"
    r"tm|ticket moderateur|fr|frais reels|depense(?: reelle)?|depenses(?: reelles| engagees)?)?"
    r"(?: ?\((?:br|brss)\))?"
)
_BASES_TEXTE = {
    "tm": "TM", "ticket moderateur": "TM",
    "fr": "FR", "frais reels": "FR", "depense": "FR", "depense reelle": "FR", "depenses": "FR",
    "depenses reelles": "FR", "depenses engagees": "FR",
}
_FORFAIT_PLUS = re.compile(
    rf"\+ ?(?:un )?(?:forfait (?:de )?)?{_NOMBRE} ?€(?: (?:par|/) ?(?:acte|consultation|visite|seance))?"
)
_FORFAIT_SEUL = re.compile(
    rf"^(?:forfait (?:de )?)?{_NOMBRE} ?€(?: (?:par|/) ?(?:acte|consultation|visite|seance))?$"
)
_FORFAIT_AN = re.compile(
    rf"^(?:forfait (?:de )?)?{_NOMBRE} ?€ ?(?:par an|/ ?an|par annee(?: civile| d'adhesion)?)(?: (?:et )?par (?:beneficiaire|assure|personne))*$"
)
_FR_SEUL = {"frais reels", "fr", "aux frais reels", "remboursement aux frais reels", "integralite des frais", "100 % fr"}
_TM_SEUL = {"tm", "ticket moderateur", "le ticket moderateur"}
_RIEN = {"non", "neant", "-", "—", "–", "0", "0 %", "aucun", "aucune", "pas de prise en charge", "non pris en charge", "non couvert"}


def _decimal(texte: str, champ: str, valeur) -> Decimal:
    try:
        d = Decimal(texte)
    except InvalidOperation:  # pragma: no cover — les motifs ne laissent passer que des chiffres
        raise ErreurSaisie(champ, f"« {valeur} » n'est pas une garantie reconnue", FORMES_ACCEPTEES) from None
    return d


def _euros(texte: str, champ: str, valeur) -> Decimal:
    d = _decimal(texte, champ, valeur)
    if d != d.quantize(CENTIME):
        raise ErreurSaisie(champ, f"« {valeur} » : un montant a au plus deux décimales", FORMES_ACCEPTEES)
    return d.quantize(CENTIME)


def _retirer(t: str, m: re.Match) -> str:
    """Le texte sans le passage lu par ``m`` (espaces et ponctuation de bord resserrés)."""
    return " ".join((t[: m.start()] + " " + t[m.end():]).strip(" ,;").split())


def lire_formule(valeur, champ: str = "garantie") -> Formule:
    """Lit une garantie écrite comme dans un tableau (voir :data:`FORMES_ACCEPTEES`) ; un nombre ≥ 0 veut
    dire « % de la BR, Sécurité sociale comprise ». Une formulation inconnue lève une :class:`ErreurSaisie`
    qui nomme ``champ`` et liste les formes acceptées.

    >>> lire_formule(150).libelle
    '150\xa0% de la BR, Sécurité sociale comprise'
    >>> lire_formule("100,5 %").pourcentage
    Decimal('100.5')
    >>> f = lire_formule("100 % BR en plus du RO, dans la limite de 150 € par an")
    >>> f.ro_inclus, f.plafond_annuel
    (False, Decimal('150.00'))
    """
    if isinstance(valeur, Formule):
        return valeur
    if isinstance(valeur, bool) or valeur is None:
        raise ErreurSaisie(champ, f"{valeur!r} n'est pas une garantie", FORMES_ACCEPTEES)
    if not isinstance(valeur, str):
        return _formule_nombre(valeur, champ)
    original = valeur
    t = _normaliser(valeur)
    if not t:
        raise ErreurSaisie(champ, "la garantie est vide", FORMES_ACCEPTEES)
    texte = " ".join(original.replace("\u00a0", " ").replace("\u202f", " ").split())
    lu = _lire_mentions(t, champ, original, texte)
    return lu if isinstance(lu, Formule) else _lire_niveau(*lu, champ, original, texte)


def _formule_nombre(valeur, champ: str) -> Formule:
    """Un nombre seul : son pourcentage de la BR, Sécurité sociale comprise."""
    try:
        d = en_decimal(valeur, champ)
    except ErreurSaisie as e:
        raise ErreurSaisie(champ, e.message, FORMES_ACCEPTEES) from None
    if d < 0:
        raise ErreurSaisie(champ, f"un niveau de {d} % est négatif", FORMES_ACCEPTEES)
    return Formule(pourcentage=d, texte=str(valeur))


def _lire_mentions(t: str, champ: str, original: str, texte: str):
    """Les mentions d'une garantie écrite (plafond annuel, « en plus » ou « comprise », forfait par acte),
    retirées du texte : rend (reste du texte, plafond, ro_inclus, forfait), ou la :class:`Formule` d'un forfait
    annuel seul."""
    # Les mentions qui ne changent rien au calcul (le principe indemnitaire s'applique toujours).
    t = _LIMITE_FR.sub("", t).strip(" ,;")

    # Le plafond annuel, où qu'il soit.
    plafond = None
    m = _PLAFOND.search(t)
    if m:
        plafond = _euros(m.group(1), champ, original)
        t = _retirer(t, m)

    # Un forfait annuel seul : « 50 € par an » = la dépense, Sécurité sociale comprise, dans la limite de 50 € par an.
    m = _FORFAIT_AN.match(t)
    if m:
        if plafond is not None:
            raise ErreurSaisie(champ, f"« {original} » donne deux plafonds annuels", FORMES_ACCEPTEES)
        return Formule(pourcentage=CENT, sur="FR", plafond_annuel=_euros(m.group(1), champ, original), texte=texte)

    # « RO + … » / « SS + … » : en plus de la Sécurité sociale.
    ro_inclus = None
    m = _PREFIXE_PLUS.match(t)
    if m:
        ro_inclus = False
        t = t[m.end():].strip()
    m = _EN_PLUS.search(t)
    if m:
        if ro_inclus is not None:
            raise ErreurSaisie(champ, f"« {original} » dit deux fois « en plus de la Sécurité sociale »", FORMES_ACCEPTEES)
        ro_inclus = False
        t = _retirer(t, m)
    m = _INCLUS.search(t)
    if m:
        if ro_inclus is False:
            raise ErreurSaisie(champ, f"« {original} » dit à la fois « Sécurité sociale comprise » et « en plus »", FORMES_ACCEPTEES)
        ro_inclus = True
        t = _retirer(t, m)

    # Le forfait par acte en plus : « … + 20 € ».
    forfait = ZERO
    m = _FORFAIT_PLUS.search(t)
    if m:
        forfait = _euros(m.group(1), champ, original)
        t = _retirer(t, m)
        if not t:
            raise ErreurSaisie(champ, f"« {original} » : un forfait seul s'écrit sans « + »", FORMES_ACCEPTEES)

    return t, plafond, ro_inclus, forfait


def _lire_niveau(t: str, plafond, ro_inclus, forfait, champ: str, original: str, texte: str) -> Formule:
    """Le niveau d'une garantie (pourcentage, frais réels, ticket modérateur, forfait), une fois ses mentions
    retirées (:func:`_lire_mentions`)."""
    def fin(pourcentage: Decimal, sur: str = "BR", inclus: bool = True) -> Formule:
        if sur == "TM" and ro_inclus is True:
            raise ErreurSaisie(champ, f"« {original} » : le ticket modérateur est la part laissée par la Sécurité sociale, "
                               "il ne peut pas « comprendre » son remboursement", FORMES_ACCEPTEES)
        if sur == "FR" and ro_inclus is False:
            raise ErreurSaisie(champ, f"« {original} » : des frais réels « en plus » de la Sécurité sociale dépasseraient la dépense",
                               FORMES_ACCEPTEES)
        return Formule(pourcentage=pourcentage, sur=sur, ro_inclus=inclus, forfait=forfait, plafond_annuel=plafond, texte=texte)

    if t in _FR_SEUL or t in ("100 % frais reels", "100 % des frais reels"):
        return fin(CENT, "FR")
    if t in _TM_SEUL:
        return fin(CENT, "TM", False)
    if t in _RIEN or (not t and (plafond is not None or ro_inclus is not None)):
        if forfait == ZERO and plafond is None and ro_inclus is None:
            return Formule(pourcentage=ZERO, texte=texte)
        raise ErreurSaisie(champ, f"« {original} » : il manque le niveau (un pourcentage, « frais réels » ou un forfait)", FORMES_ACCEPTEES)
    m = _FORFAIT_SEUL.match(t)
    if m:
        if ro_inclus is not None or forfait:
            raise ErreurSaisie(champ, f"« {original} » n'est pas une garantie reconnue", FORMES_ACCEPTEES)
        return Formule(pourcentage=ZERO, ro_inclus=False, forfait=_euros(m.group(1), champ, original),
                       plafond_annuel=plafond, texte=texte)
    if re.fullmatch(_NOMBRE, t):
        return fin(_decimal(t, champ, original), "BR", ro_inclus is not False)
    m = _POURCENT.fullmatch(t)
    if m:
        pct = _decimal(m.group(1), champ, original)
        sur = _BASES_TEXTE.get(m.group(2) or "", "BR")
        if sur == "TM":
            return fin(pct, "TM", False)
        if sur == "FR":
            return fin(pct, "FR")
        return fin(pct, "BR", ro_inclus is not False)
    raise ErreurSaisie(champ, f"« {original} » n'est pas une garantie reconnue", FORMES_ACCEPTEES)
