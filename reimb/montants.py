"""L'argent : lecture exacte des montants et *la* règle d'arrondi du projet.

Tous les montants sont des ``Decimal``. Aucune source officielle ne donne de règle d'arrondi
générale pour l'Assurance maladie (domain-facts §9) ; le projet retient, par choix documenté :
chaque montant *payé* (AMO brut, AMC, plafonds en euros) est arrondi **au centime, au plus proche,
les demis vers le haut** ; les parts restantes (ticket modérateur, reste à charge) sont obtenues par
soustraction, de sorte que les parts s'additionnent toujours exactement aux honoraires.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .erreurs import ErreurSaisie

CENTIME = Decimal("0.01")
ZERO = Decimal("0.00")
CENT = Decimal(100)
# Plus grand ordre de grandeur accepté en saisie (montants, niveaux, taux) : moins de 10¹² ; voir en_decimal.
CHIFFRES_MAX = 12


def arrondi(montant: Decimal) -> Decimal:
    """La seule règle d'arrondi du projet : au centime, demi vers le haut (17,352 → 17,35 ; 0,427 → 0,43)."""
    return montant.quantize(CENTIME, rounding=ROUND_HALF_UP)


def en_decimal(valeur, champ: str) -> Decimal:
    """Convertit une saisie (``str``, ``int``, ``Decimal``, ``float``) en ``Decimal`` exact.

    Un ``float`` est converti par son texte décimal (``0.1`` → ``Decimal('0.1')``), jamais par sa
    valeur binaire. Une virgule décimale française est acceptée dans une chaîne (``"18,60"``).
    NaN, infini, booléens et textes non numériques sont refusés avec une erreur nommant le champ.
    """
    if isinstance(valeur, bool):
        raise ErreurSaisie(champ, f"{valeur!r} n'est pas un montant", "un nombre, par ex. 50 ou \"18,60\"")
    if isinstance(valeur, Decimal):
        d = valeur
    elif isinstance(valeur, int):
        d = Decimal(valeur)
    elif isinstance(valeur, float):
        if math.isnan(valeur) or math.isinf(valeur):
            raise ErreurSaisie(champ, f"{valeur!r} n'est pas un montant", "un nombre fini")
        d = Decimal(repr(valeur))
    elif isinstance(valeur, str):
        texte = valeur.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        texte = texte.removesuffix("€").replace(",", ".")
        try:
            d = Decimal(texte)
        except InvalidOperation:
            raise ErreurSaisie(champ, f"« {valeur} » n'est pas un nombre", "un nombre, par ex. 50 ou \"18,60\"") from None
    else:
        raise ErreurSaisie(champ, f"type {type(valeur).__name__} non pris en charge", "str, int, Decimal ou float")
    if not d.is_finite():
        raise ErreurSaisie(champ, f"{valeur!r} n'est pas un montant", "un nombre fini")
    if d.adjusted() >= CHIFFRES_MAX:
        # Au-delà, les produits BRSS × taux ne tiennent plus dans la précision décimale (28 chiffres)
        # et l'arrondi au centime lèverait decimal.InvalidOperation : on refuse la saisie.
        raise ErreurSaisie(champ, f"{valeur!r} est démesuré", f"un nombre d'au plus {CHIFFRES_MAX} chiffres avant la virgule")
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
