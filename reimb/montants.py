"""L'argent : lecture exacte des montants et *la* règle d'arrondi du projet.

Tous les montants sont des ``Decimal``. Aucune source officielle ne donne de règle d'arrondi
générale pour l'Assurance maladie (domain-facts §9) ; le projet retient, par choix documenté :
chaque montant *payé* (AMO brut, AMC, plafonds en euros) est arrondi **au centime, au plus proche,
les demis vers le haut** ; les parts restantes (ticket modérateur, reste à charge) sont obtenues par
soustraction, de sorte que les parts s'additionnent toujours exactement aux honoraires.
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .erreurs import ErreurSaisie

CENTIME = Decimal("0.01")
ZERO = Decimal("0.00")
CENT = Decimal(100)
# Plus grand ordre de grandeur accepté en saisie (montants, niveaux, taux) : moins de 10¹² ; voir en_decimal.
CHIFFRES_MAX = 12


def arrondi(montant) -> Decimal:
    """La seule règle d'arrondi du projet : au centime, demi vers le haut (17,352 → 17,35 ; 0,427 → 0,43).

    Un ``Decimal`` est arrondi tel quel ; une autre saisie (``"1,005"``, un ``int``, un ``float`` lu par
    son texte décimal, un nombre numpy) est d'abord lue par :func:`en_decimal`. Le résultat n'est jamais
    un zéro signé (« -0,00 ») ; un montant qui ne tient pas au centime près dans la précision décimale
    (10²⁶ € et plus), NaN ou l'infini lèvent une :class:`ErreurSaisie`.
    """
    if type(montant) is not Decimal:
        montant = en_decimal(montant, "montant")
    elif not montant.is_finite():
        raise ErreurSaisie("montant", f"{montant!r} n'est pas un montant", "un nombre fini")
    try:
        r = montant.quantize(CENTIME, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ErreurSaisie("montant", f"{montant!r} est démesuré", "un montant de moins de 10²⁶ €") from None
    return abs(r) if r.is_zero() else r  # -0,001 → 0,00 et non -0,00


# Un nombre écrit par une personne : chiffres ASCII, espaces seulement entre groupes de trois chiffres
# (« 1 234,50 »), une virgule ou un point décimal suivi d'au moins un chiffre, un signe moins éventuel.
# Refusés : « 2 8 », « 5_0 », « 1e3 », « 50, », « +50 », les chiffres non latins (« ٥٠ », « ５０ »).
_NOMBRE = re.compile(r"-?(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?", re.ASCII)
_ESPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " "})
_NON_FINIS = {"nan", "-nan", "+nan", "snan", "-snan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"}
_EXEMPLE = "un nombre, par ex. 50 ou \"18,60\""
TYPES_NOMBRES = "str, int, Decimal ou float, nombres numpy compris"


def _texte_en_decimal(valeur: str, champ: str) -> Decimal:
    texte = " ".join(valeur.translate(_ESPACES).split())
    texte = texte.removesuffix("€").rstrip()
    if texte.lower() in _NON_FINIS:
        raise ErreurSaisie(champ, f"« {valeur} » n'est pas un montant", "un nombre fini")
    if not _NOMBRE.fullmatch(texte):
        aide = _EXEMPLE
        if "e" in texte.lower() and any(c.isdigit() for c in texte):
            aide += " ; sans exposant (écrivez 1000 et non 1e3)"
        elif "_" in texte:
            aide += " ; sans « _ » (les milliers se séparent par une espace : 50 000)"
        raise ErreurSaisie(champ, f"« {valeur} » n'est pas un nombre", aide)
    return Decimal(texte.replace(" ", "").replace(",", "."))


def _est_numpy(valeur) -> bool:
    return type(valeur).__module__ == "numpy"


def en_decimal(valeur, champ: str) -> Decimal:
    """Convertit une saisie (``str``, ``int``, ``Decimal``, ``float``, nombre numpy) en ``Decimal`` exact.

    Un ``float`` est converti par son texte décimal (``0.1`` → ``Decimal('0.1')``), jamais par sa
    valeur binaire ; un ``numpy.float32`` par le texte le plus court qui le désigne (``0.1``) ; un
    entier numpy (``numpy.int64``, ce que rend ``df.loc[i, "x"]``) comme un ``int``. Dans une chaîne :
    virgule décimale française (``"18,60"``), espaces des milliers par groupes de trois
    (``"1 234,50"``), symbole « € » final toléré ; pas d'exposant ni de « _ ».
    NaN, infini, booléens, valeurs manquantes (``None``, ``pd.NA``) et textes non numériques sont
    refusés avec une erreur nommant le champ.
    """
    if isinstance(valeur, bool) or (_est_numpy(valeur) and type(valeur).__name__ == "bool"):
        raise ErreurSaisie(champ, f"{bool(valeur)!r} n'est pas un montant", _EXEMPLE)
    if isinstance(valeur, Decimal):
        d = valeur
    elif isinstance(valeur, int):
        d = Decimal(valeur)
    elif isinstance(valeur, float):  # float, et numpy.float64 qui en hérite (son repr est « np.float64(50.0) »)
        if math.isnan(valeur) or math.isinf(valeur):
            raise ErreurSaisie(champ, f"{float(valeur)!r} n'est pas un montant", "un nombre fini")
        d = Decimal(float.__repr__(valeur))
    elif isinstance(valeur, str):
        d = _texte_en_decimal(valeur, champ)
    elif isinstance(valeur, numbers.Integral):  # numpy.int64, numpy.uint8…
        d = Decimal(int(valeur))
    elif isinstance(valeur, numbers.Real) and _est_numpy(valeur):  # numpy.float32, numpy.float16, longdouble
        if not math.isfinite(float(valeur)):
            raise ErreurSaisie(champ, f"{float(valeur)!r} n'est pas un montant", "un nombre fini")
        d = Decimal(str(valeur))  # str(np.float32(0.1)) == '0.1' : le texte le plus court, comme repr d'un float
    elif valeur is None or type(valeur).__name__ in ("NAType", "NaTType"):
        raise ErreurSaisie(champ, "valeur manquante", TYPES_NOMBRES)
    else:
        raise ErreurSaisie(champ, f"type {type(valeur).__name__} non pris en charge", TYPES_NOMBRES)
    if not d.is_finite():
        raise ErreurSaisie(champ, f"« {valeur} » n'est pas un montant", "un nombre fini")
    if d.adjusted() >= CHIFFRES_MAX:
        # Au-delà, les produits BRSS × taux ne tiennent plus dans la précision décimale (28 chiffres)
        # et l'arrondi au centime lèverait decimal.InvalidOperation : on refuse la saisie.
        raise ErreurSaisie(champ, f"« {valeur} » est démesuré", f"un nombre d'au plus {CHIFFRES_MAX} chiffres avant la virgule")
    if d.is_zero():
        d = abs(d)  # « -0 » (ou -0.0) : zéro sans signe, jamais « -0,00 € » dans un décompte
    return d


def montant(valeur, champ: str, *, positif_strict: bool = False) -> Decimal:
    """Un montant en euros, au centime près, jamais négatif (ni nul si ``positif_strict``)."""
    d = en_decimal(valeur, champ)
    if d < 0 or (positif_strict and d == 0):
        borne = "strictement positif" if positif_strict else "positif ou nul"
        raise ErreurSaisie(champ, f"{euros(d)} est refusé, le montant doit être {borne}", f"un montant {borne} en euros")
    if d != d.quantize(CENTIME):
        raise ErreurSaisie(champ, f"{d} a plus de deux décimales", "un montant au centime près, par ex. 18,60")
    return d.quantize(CENTIME)


def euros(d: Decimal) -> str:
    """Un montant à la française, par Babel : ``Decimal('18.6')`` → ``'18,60 €'`` (espace insécable).

    Babel n'est importé qu'au premier appel (messages d'erreur, affichage) : ``import reimb`` reste léger.
    Le montant passe d'abord par :func:`arrondi` : Babel arrondirait seul « au pair » (0,125 → 0,12),
    une seconde règle d'arrondi cachée dans l'affichage.
    """
    from babel.numbers import format_currency

    return format_currency(arrondi(d), "EUR", locale="fr_FR")


def taux_court(d: Decimal) -> str:
    """Un taux dans le texte d'une règle, sans Babel (chemin chaud du moteur) : ``17.5`` → ``'17,5'``, ``70`` → ``'70'``."""
    return format(d.normalize(), "f").replace(".", ",")


def montant_court(d: Decimal) -> str:
    """Un montant dans le texte d'une règle, sans Babel (chemin chaud du moteur) : ``23`` → ``'23'``, ``3.5`` → ``'3,50'``.

    L'affichage complet (« 18,60 € ») est :func:`euros`.
    """
    return f"{d:.0f}" if d == d.to_integral_value() else f"{d:.2f}".replace(".", ",")


def nombre(d: Decimal) -> str:
    """Un nombre à la française, au plus deux décimales (arrondies par :func:`arrondi`), par Babel :
    ``Decimal('52.1739')`` → ``'52,17'`` ; ``Decimal('1234.5')`` → ``'1 234,5'``."""
    from babel.numbers import format_decimal

    d = d if isinstance(d, Decimal) else en_decimal(d, "nombre")
    return format_decimal(arrondi(d), format="#,##0.##", locale="fr_FR")


def pourcent(d: Decimal) -> str:
    """Un pourcentage (en points) à la française : ``Decimal('17.5')`` → ``'17,5 %'`` (espace insécable)."""
    return nombre(d) + "\u00a0%"


def en_centimes(d: Decimal) -> int:
    """Un montant au centime en nombre entier de centimes (pour le calcul par lot)."""
    return int(d * 100)
