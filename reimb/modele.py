"""Les acteurs d'un décompte : le médecin, le patient, la garantie complémentaire.

De petites valeurs immuables, vérifiées à leur création : une saisie impossible (secteur inconnu,
secteur 3 adhérent à un DPTAM, niveau de garantie négatif…) lève une :class:`ErreurSaisie` en
français. Les vérifications qui dépendent de la date des soins (CAS après 2016, OPTAM avant 2017)
sont faites par le décompte, qui connaît la date.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from decimal import Decimal

from .erreurs import ErreurSaisie
from .formules import Formule, lire_formule
from .montants import CENT, en_decimal

SECTEURS = (1, 2, 3)
DPTAM = ("CAS", "OPTAM", "OPTAM-CO", "OPTAM-ACO")
SPECIALITES = (
    "generaliste", "specialiste", "psychiatre", "cardiologue", "gynecologue", "geriatre", "pediatre", "neurologue",
)
"""Les spécialités de la table des tarifs : ``specialiste`` : les spécialistes sans consultation propre
(CS + MPC + MCS) ; ``psychiatre`` vaut aussi pour le neuropsychiatre (CNPSY, puis CNP) ; ``neurologue`` a la
même consultation coordonnée que le psychiatre et sa consultation de référence ; ``cardiologue`` a sa
consultation propre (CSC + MCC) ; ``gynecologue`` (gynécologie médicale), ``geriatre`` et ``pediatre`` (par
tranche d'âge de l'enfant) ont les leurs depuis la convention de 2024 (``parametres/tarifs.toml``)."""
LIBELLES_SPECIALITES = {
    "generaliste": "généraliste",
    "specialiste": "spécialiste",
    "psychiatre": "psychiatre",
    "cardiologue": "cardiologue",
    "gynecologue": "gynécologue",
    "geriatre": "gériatre",
    "pediatre": "pédiatre",
    "neurologue": "neurologue",
}
FRAIS_REELS = "frais réels"
_FRAIS_REELS = {"frais réels", "frais reels", "fr", "frais_reels"}


def _booleen(valeur, champ: str) -> bool:
    if not isinstance(valeur, bool):
        raise ErreurSaisie(champ, f"{valeur!r} n'est pas un booléen", "True ou False")
    return valeur


@dataclass(frozen=True, slots=True)
class Medecin:
    """Un médecin : secteur conventionnel, adhésion éventuelle à un DPTAM, spécialité.

    ``secteur`` : 1, 2, ou 3 (non conventionné). ``Medecin(secteur=1, droit_permanent=True)`` est le
    secteur 1 DP. ``dptam`` : ``None``, ``"CAS"``, ``"OPTAM"``, ``"OPTAM-CO"`` ou ``"OPTAM-ACO"``
    (nom de l'OPTAM-CO depuis le 1er janvier 2025 ; l'ancien nom reste accepté).
    """

    secteur: int
    dptam: str | None = None
    specialite: str = "generaliste"
    droit_permanent: bool = False

    def __post_init__(self):
        # Ce qu'un tableur ou pandas donne pour la même saisie : 2.0 ou numpy.int64(2) pour 2, NA/NaN/"" pour
        # « pas de dispositif » (revue de fiabilité M2, L5).
        secteur = self.secteur
        if not isinstance(secteur, bool) and not isinstance(secteur, int) and hasattr(secteur, "__index__"):
            secteur = int(secteur)
        elif isinstance(secteur, float) and secteur.is_integer():
            secteur = int(secteur)
        object.__setattr__(self, "secteur", secteur)
        dptam = self.dptam
        if dptam is not None and not isinstance(dptam, str) and (
            type(dptam).__name__ in ("NAType", "NaTType") or (isinstance(dptam, float) and dptam != dptam)
        ):
            dptam = None
        elif isinstance(dptam, str) and not dptam.strip():
            dptam = None
        object.__setattr__(self, "dptam", dptam)
        if isinstance(self.secteur, bool) or self.secteur not in SECTEURS:
            raise ErreurSaisie(
                "medecin.secteur",
                f"secteur {self.secteur!r} inconnu",
                "1 (tarifs opposables ; secteur 1 DP avec droit_permanent=True), 2 (honoraires libres) ou 3 (non conventionné)",
            )
        _booleen(self.droit_permanent, "medecin.droit_permanent")
        if self.dptam is not None and self.dptam not in DPTAM:
            raise ErreurSaisie("medecin.dptam", f"{self.dptam!r} n'est pas un dispositif connu", "None, 'CAS', 'OPTAM', 'OPTAM-CO' ou 'OPTAM-ACO' (2025 →)")
        if self.specialite not in SPECIALITES:
            raise ErreurSaisie(
                "medecin.specialite",
                f"{self.specialite!r} inconnue",
                ", ".join(f"{s!r} ({LIBELLES_SPECIALITES[s]})" for s in SPECIALITES),
            )
        if self.droit_permanent and self.secteur != 1:
            raise ErreurSaisie(
                "medecin.droit_permanent",
                f"le droit permanent à dépassement est un statut du secteur 1, pas du secteur {self.secteur}",
                "le droit permanent à dépassement (droit_permanent=True) seulement en secteur 1",
            )
        if self.secteur == 3 and self.dptam is not None:
            raise ErreurSaisie(
                "medecin.dptam",
                "un médecin non conventionné (secteur 3) ne peut pas adhérer à un DPTAM : les DPTAM sont des options de la convention",
                "aucun DPTAM (dptam=None) pour un médecin non conventionné",
            )
        if self.secteur == 1 and not self.droit_permanent and self.dptam is not None:
            raise ErreurSaisie(
                "medecin.dptam",
                "un médecin de secteur 1 sans droit permanent applique déjà les tarifs opposables ; "
                "un secteur 1 « titré » qui adhère se saisit comme secteur 2 adhérent",
                "aucun DPTAM (dptam=None) en secteur 1 ; un DPTAM en secteur 1 DP (droit_permanent=True) ou en secteur 2",
            )

    @property
    def conventionne(self) -> bool:
        return self.secteur in (1, 2)

    @property
    def peut_depasser(self) -> bool:
        """Le médecin peut-il facturer des dépassements (secteur 2, 1 DP, non conventionné) ?"""
        return self.secteur != 1 or self.droit_permanent

    @property
    def ligne_dptam(self) -> bool:
        """La garantie applique-t-elle sa ligne « médecins adhérents DPTAM » (secteur 1 compris) ?"""
        return self.dptam is not None or (self.secteur == 1 and not self.droit_permanent)

    @property
    def libelle(self) -> str:
        secteur = {1: "secteur 1 DP" if self.droit_permanent else "secteur 1", 2: "secteur 2", 3: "non conventionné"}[self.secteur]
        spe = LIBELLES_SPECIALITES[self.specialite]
        adhesion = f", adhérent {self.dptam}" if self.dptam else (", non adhérent DPTAM" if self.peut_depasser and self.conventionne else "")
        return f"Médecin {spe}, {secteur}{adhesion}"


_AGES = "un nombre entier d'années de 0 à 130"


def _manquant(valeur) -> bool:
    """``None``, ``pd.NA``, ``pd.NaT`` ou un NaN : une cellule vide de pandas (sans importer pandas)."""
    if valeur is None or type(valeur).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(valeur, float) and valeur != valeur


def _drapeau(valeur, champ: str) -> bool:
    """Un booléen : ``True``/``False``, ou un ``numpy.bool_`` (ce que rend une colonne de booléens), rendu en ``bool``."""
    if isinstance(valeur, bool):
        return valeur
    if type(valeur).__module__ == "numpy" and type(valeur).__name__ == "bool":
        return bool(valeur)
    if _manquant(valeur):
        raise ErreurSaisie(champ, "valeur manquante", "True ou False")
    raise ErreurSaisie(champ, f"{valeur!r} n'est pas un booléen", "True ou False")


def _age(valeur) -> int:
    """Un âge en années entières : ``int``, entier numpy, ou nombre entier écrit 45.0 (colonne de flottants) → ``int``."""
    champ = "patient.age"
    if isinstance(valeur, bool) or (type(valeur).__module__ == "numpy" and type(valeur).__name__ == "bool"):
        raise ErreurSaisie(champ, f"{bool(valeur)!r} n'est pas un âge", _AGES)
    if _manquant(valeur):
        raise ErreurSaisie(champ, "valeur manquante", _AGES)
    if isinstance(valeur, numbers.Integral):          # int, numpy.int64…
        age = int(valeur)
    elif isinstance(valeur, (float, Decimal)) or (isinstance(valeur, numbers.Real) and type(valeur).__module__ == "numpy"):
        d = en_decimal(valeur, champ)                  # 45.0, numpy.float64(45.0), Decimal("45") : 45 ; 45.5 refusé
        if d != d.to_integral_value():
            raise ErreurSaisie(champ, f"{d} n'est pas un nombre entier d'années", _AGES)
        age = int(d)
    else:
        aide = " (un texte : convertissez avec int())" if isinstance(valeur, str) else ""
        raise ErreurSaisie(champ, f"{valeur!r} (type {type(valeur).__name__}) n'est pas un âge{aide}", _AGES)
    if not 0 <= age <= 130:
        raise ErreurSaisie(champ, f"{age} n'est pas un âge valide", _AGES)
    return age


@dataclass(frozen=True, slots=True)
class Patient:
    """Un patient : âge (en années) et situations qui changent la prise en charge.

    ``age`` : pour l'exonération de participation forfaitaire des moins de 18 ans, ameli compte l'âge
    au 1er janvier de l'année des soins (domain-facts §5.1) : c'est cet âge-là qu'il faut saisir ; le
    seuil de 16 ans du parcours de soins est lu sur le même âge.

    ``css`` : bénéficiaire de la complémentaire santé solidaire (ex-CMU-C/ACS) ; ``ald`` : soins en
    rapport avec une affection de longue durée ; ``maternite`` : assurance maternité (du 1er jour
    du 6e mois de grossesse à 12 jours après l'accouchement).
    """

    age: int = 40
    css: bool = False
    ald: bool = False
    maternite: bool = False

    def __post_init__(self):
        object.__setattr__(self, "age", _age(self.age))
        for champ in ("css", "ald", "maternite"):
            object.__setattr__(self, champ, _drapeau(getattr(self, champ), f"patient.{champ}"))


_NIVEAUX_ACCEPTES = "un pourcentage de la BRSS ≥ 0 (par ex. 100, 125, \"150 %\", \"200 % BR\") ou « frais réels »"
NIVEAU_MAX = Decimal(10_000)
"""Garde-fou de saisie, pas une règle de droit : un niveau au-delà de 10 000 % de la BRSS (cent fois la
base) est une faute de frappe ; refusé à la saisie plutôt que de faire échouer un calcul plus loin."""
DECIMALES_NIVEAU_MAX = 4
"""Garde-fou de saisie : au plus 4 décimales dans un niveau (« 133,3333 % ») ; un flottant tiré d'une
division (133.33333333333334) est refusé : arrondissez-le. Au-delà, le calcul par lot ralentit sans rien
gagner en exactitude (revue de fiabilité, L15)."""


def _erreur_niveau(champ: str, e: ErreurSaisie) -> ErreurSaisie:
    """L'erreur de lecture d'un nombre, dite pour un niveau (un pourcentage, pas un montant en euros)."""
    message = e.message.replace("n'est pas un montant", "n'est pas un niveau")
    acceptes = (e.acceptes or "").replace('un nombre, par ex. 50 ou "18,60"', 'un nombre, par ex. 125 ou "125,5"')
    return ErreurSaisie(champ, message, f"{_NIVEAUX_ACCEPTES} ; {acceptes}" if acceptes else _NIVEAUX_ACCEPTES)


def niveau(valeur, champ: str) -> Decimal | str:
    """Un niveau de garantie : un pourcentage de la BRSS (Sécu comprise) ≥ 0, ou ``"frais réels"``.

    Nombres (``int``, ``Decimal``, ``float``, nombres numpy) et textes : « 125 », « 125,5 », « 150 % »,
    « 200 % BR », « frais réels » (espaces insécables comprises), lus par la même règle que les fichiers
    de garanties (:meth:`reimb.garanties.Niveau.lire`). Un forfait en euros (« 20 € », « 100 % BR + 20 € ») est
    refusé : ce n'est pas un niveau (:class:`Garantie` le lit comme une formulation).
    """
    if isinstance(valeur, str):
        texte = " ".join(valeur.replace("\u00a0", " ").replace("\u202f", " ").split()).lower()
        if texte in _FRAIS_REELS:
            return FRAIS_REELS
        try:
            if "€" in texte:
                # « 20 € » est un forfait en euros, pas 20 % : en_decimal tolère le symbole des montants.
                raise ErreurSaisie(champ, f"« {valeur} » est un montant en euros", _NIVEAUX_ACCEPTES)
            d = en_decimal(valeur, champ)
        except ErreurSaisie as e:
            from .garanties import Niveau  # la lecture des libellés « 150 % BR », « 100 % frais réels »

            try:
                n = Niveau.lire(valeur)
            except ErreurSaisie:
                raise _erreur_niveau(champ, e) from None
            if n.formule is not None and not n.formule.simple:
                # « RO + 100 % BR », « 100 % TM », plafond annuel… : une formulation, pas un niveau en % de la BRSS
                raise ErreurSaisie(champ, f"« {valeur} » n'est pas un niveau en % de la BRSS Sécu comprise : "
                                   "c'est une formulation de tableau (reimb.formules)", _NIVEAUX_ACCEPTES) from None
            if n.frais_reels:
                return FRAIS_REELS
            if n.forfait:
                raise ErreurSaisie(champ, f"« {valeur} » est un forfait en euros, pas un niveau en % de la BRSS "
                                   "(une garantie le lit comme une formulation de tableau : reimb.Garantie)", _NIVEAUX_ACCEPTES) from None
            d = n.pourcentage if n.pourcentage is not None else Decimal(0)
    else:
        if valeur is None or type(valeur).__name__ in ("NAType", "NaTType"):
            raise ErreurSaisie(champ, "valeur manquante", _NIVEAUX_ACCEPTES)
        try:
            d = en_decimal(valeur, champ)
        except ErreurSaisie as e:
            raise _erreur_niveau(champ, e) from None
    return borner_niveau(d, champ)


def borner_niveau(d: Decimal, champ: str) -> Decimal:
    """Les bornes d'un niveau en % de la BRSS (≥ 0, au plus :data:`NIVEAU_MAX`, :data:`DECIMALES_NIVEAU_MAX` décimales)."""
    if d < 0:
        raise ErreurSaisie(champ, f"un niveau de {d} % est négatif", _NIVEAUX_ACCEPTES)
    if d > NIVEAU_MAX:
        raise ErreurSaisie(champ, f"un niveau de {d} % est démesuré", f"un pourcentage de la BRSS de 0 à {NIVEAU_MAX} ; ou « frais réels »")
    if -d.as_tuple().exponent > DECIMALES_NIVEAU_MAX and d != d.quantize(Decimal(1).scaleb(-DECIMALES_NIVEAU_MAX)):
        raise ErreurSaisie(champ, f"{d} % a plus de {DECIMALES_NIVEAU_MAX} décimales",
                           f"un pourcentage d'au plus {DECIMALES_NIVEAU_MAX} décimales, par ex. 133,33")
    return d


def _nombre(texte: str) -> bool:
    """Le texte ressemble-t-il à un nombre (même refusé : négatif, démesuré, « 1e3 », « ٥٠ », « 50, ») ?
    Alors c'est l'erreur des niveaux qui vaut, pas la lecture des formulations : ni « % », ni « € », ni lettre
    (sauf l'exposant e)."""
    import re

    t = texte.strip()
    return bool(t) and not re.search(r"[%€]", t) and not re.search(r"[^\W\d_eE]", t)


def niveau_ou_formule(valeur, champ: str) -> tuple[Decimal | str | Formule, Formule]:
    """(niveau à l'ancienne, ou la :class:`~reimb.formules.Formule` si la forme n'en est pas un ; la formule).

    Un nombre ou « frais réels » : comme :func:`niveau` ; un texte de tableau (« RO + 100 % BR »,
    « 100 % TM »…) : lu par :func:`reimb.formules.lire_formule`.
    """
    if isinstance(valeur, Formule):
        f = valeur
    else:
        try:
            n = niveau(valeur, champ)
        except ErreurSaisie:
            if not isinstance(valeur, str) or _nombre(valeur):
                raise   # un nombre refusé (négatif, démesuré) : l'erreur des niveaux
            f = lire_formule(valeur, champ)
            borner_niveau(f.pourcentage, champ)   # les mêmes bornes qu'un niveau (≤ 10 000 %, 4 décimales)
        else:
            f = Formule(pourcentage=CENT, sur="FR", texte=FRAIS_REELS) if n == FRAIS_REELS else Formule(pourcentage=n, texte=str(valeur))
            return n, f
    return (f.niveau if f.simple else f), f


@dataclass(frozen=True, slots=True)
class Garantie:
    """Une garantie complémentaire « consultations », telle que l'écrit un tableau de garanties.

    ``dptam`` : niveau pour les médecins adhérents à un DPTAM (et le secteur 1) ;
    ``hors_dptam`` : niveau pour les autres (secteur 2 ou 1 DP non adhérents, non conventionnés).
    Un niveau est un nombre (en % de la BRSS, **remboursement Sécu compris** : 100 = le ticket modérateur
    seul), ``"frais réels"``, ou toute formulation d'un tableau (« 150 % BR RO inclus », « RO + 100 % BR »,
    « 100 % BR + 20 € », « 100 % TM », « … dans la limite de 150 € par an » : :mod:`reimb.formules`).
    Après lecture, ``dptam`` et ``hors_dptam`` gardent leur sens d'avant pour les formes simples (un
    ``Decimal`` ou ``"frais réels"``) et valent la :class:`~reimb.formules.Formule` sinon ;
    ``formule_dptam`` et ``formule_hors_dptam`` sont toujours la formule lue.
    ``responsable`` : le contrat se déclare responsable ; le décompte lui applique alors les
    plafonds et exclusions de l'article R.871-2 du code de la Sécurité sociale.
    """

    dptam: Decimal | str | Formule = Decimal(100)
    hors_dptam: Decimal | str | Formule = Decimal(100)
    responsable: bool = True
    nom: str | None = None
    formule_dptam: Formule = field(init=False, repr=False, compare=False)
    formule_hors_dptam: Formule = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        for ligne in ("dptam", "hors_dptam"):
            n, f = niveau_ou_formule(getattr(self, ligne), f"garantie.{ligne}")
            object.__setattr__(self, ligne, n)
            object.__setattr__(self, f"formule_{ligne}", f)
        object.__setattr__(self, "responsable", _drapeau(self.responsable, "garantie.responsable"))
        if self.nom is not None:
            if not isinstance(self.nom, str) or not self.nom.strip():
                raise ErreurSaisie("garantie.nom", f"{self.nom!r} n'est pas un nom de contrat", "None, ou un texte, par ex. « Contrat Confort »")
            if any(ord(c) < 32 or ord(c) == 127 for c in self.nom):
                raise ErreurSaisie("garantie.nom", f"{self.nom!r} contient un caractère de contrôle (saut de ligne, NUL…)",
                                   "un texte sur une ligne, par ex. « Contrat Confort »")

    @property
    def simple(self) -> bool:
        """Les deux lignes sont des niveaux « % BRSS Sécu comprise » ou « frais réels », sans forfait ni plafond."""
        return self.formule_dptam.simple and self.formule_hors_dptam.simple

    def niveau_pour(self, medecin: Medecin) -> Decimal | str | Formule:
        return self.dptam if medecin.ligne_dptam else self.hors_dptam

    def formule_pour(self, medecin: Medecin) -> Formule:
        return self.formule_dptam if medecin.ligne_dptam else self.formule_hors_dptam
