"""Le format français de ce que voit un stagiaire : euros, pourcentages, dates — par Babel.

Et, pour les attributs ``data-*`` du HTML (lus par des tests, pas par des personnes), le format
machine : un décimal simple avec un point (``"18.60"``), ``""`` pour ``None``.

>>> from decimal import ROUND_HALF_EVEN, Decimal
>>> euros(Decimal("18.6"))
'18,60\\xa0€'
>>> pourcent(Decimal("17.5"))
'17,5\\xa0%'
>>> from datetime import date
>>> date_longue(date(2016, 3, 1)), date_courte(date(2024, 5, 15))
('1er mars 2016', '15/05/2024')
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from babel.dates import format_date

from ..erreurs import ErreurSaisie
from .. import montants
from ..montants import en_decimal

LOCALE = "fr_FR"


def euros(montant) -> str:
    """``Decimal('18.6')`` → ``'18,60 €'`` : :func:`reimb.montants.euros` (l'arrondi du projet, puis Babel)."""
    return montants.euros(_decimal(montant))


def pourcent(valeur) -> str:
    """Un pourcentage exprimé en points : ``Decimal('130')`` → ``'130 %'``, ``17.5`` → ``'17,5 %'``."""
    return montants.pourcent(_decimal(valeur))


def niveau(valeur) -> str:
    """Un niveau de garantie : ``'150 % BRSS'`` ou ``'frais réels'`` ; ``None`` : ``'pas de complémentaire'``."""
    if valeur is None:
        return "pas de complémentaire"
    if isinstance(valeur, str):
        return valeur
    if not isinstance(valeur, (int, float, Decimal)):   # une formulation de tableau (reimb.formules.Formule)
        return str(valeur)
    return f"{pourcent(valeur)} BRSS"


def nombre(valeur) -> str:
    """Un nombre à la française : ``Decimal('1234.5')`` → ``'1 234,5'`` (:func:`reimb.montants.nombre`)."""
    return montants.nombre(_decimal(valeur))


def date_longue(jour: date) -> str:
    """``date(2016, 3, 1)`` → ``'1er mars 2016'`` (Babel, et l'ordinal « 1er » de l'usage français)."""
    texte = format_date(jour, "d MMMM y", locale=LOCALE)
    return "1er" + texte[1:] if jour.day == 1 else texte


def date_courte(jour: date) -> str:
    """``date(2024, 5, 15)`` → ``'15/05/2024'``."""
    return format_date(jour, "short", locale=LOCALE)


def oui_non(valeur: bool) -> str:
    return "oui" if valeur else "non"


def attribut(valeur) -> str:
    """Une valeur pour un attribut ``data-*`` : décimal simple à point, ``"true"``/``"false"``, ``""`` pour ``None``.

    >>> attribut(Decimal("50.00")), attribut(Decimal("1.5E+2")), attribut(None), attribut(False), attribut("frais réels")
    ('50.00', '150', '', 'false', 'frais réels')
    """
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    if isinstance(valeur, Decimal):
        if valeur == valeur.to_integral_value() and valeur.as_tuple().exponent > 0:
            valeur = valeur.quantize(Decimal(1))
        return format(valeur, "f")
    if isinstance(valeur, date):
        return valeur.isoformat()
    return str(valeur)


def decimal_saisi(valeur, champ: str) -> Decimal:
    """La frontière des widgets : un ``float`` devient un ``Decimal`` par son texte décimal (``50.1`` → ``'50.1'``).

    Une chaîne est lue à la française (``"18,60"``, ``"18,60 €"``). Une saisie impossible lève une
    :class:`~reimb.ErreurSaisie` qui nomme le champ.
    """
    if isinstance(valeur, float) and (math.isnan(valeur) or math.isinf(valeur)):
        raise ErreurSaisie(champ, f"{valeur!r} n'est pas un nombre", "un nombre fini")
    if isinstance(valeur, str) and not valeur.strip():
        raise ErreurSaisie(champ, "la case est vide", "un nombre, par ex. 50 ou 18,60")
    return en_decimal(valeur, champ)


def decimal_curseur(valeur: float, minimum: float, pas: float, champ: str) -> Decimal:
    """La valeur d'un curseur, ramenée exactement sur son pas : ``minimum + k × pas`` en ``Decimal``.

    Le navigateur renvoie parfois ``49.99999999999999`` pour 50 (calcul en virgule flottante du curseur) :
    la valeur voulue est le cran le plus proche. Le minimum et le pas sont lus par leur texte décimal.
    """
    v = decimal_saisi(valeur, champ)
    mini, cran = decimal_saisi(minimum, champ), decimal_saisi(pas, champ)
    if cran <= 0:
        return v
    k = ((v - mini) / cran).to_integral_value(rounding=ROUND_HALF_EVEN)
    return mini + k * cran


def _decimal(valeur) -> Decimal:
    return valeur if isinstance(valeur, Decimal) else en_decimal(valeur, "montant")
