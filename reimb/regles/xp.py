"""Les deux « espaces de calcul » du noyau : un cas en entiers Python, une table en tableaux numpy.

Chaque règle du noyau est écrite **une fois**, contre un espace ``xp`` (le motif ``array_namespace`` de
scipy) : ``SCALAIRE`` pour une consultation (entiers Python exacts, booléens Python), ``tableau()`` pour
une table (numpy, ``int64`` et ``bool``), chargé seulement au premier usage pour que ``import reimb``
reste léger. Les montants sont des centimes entiers, les pourcentages des entiers à une échelle 10ᵏ.
"""

from __future__ import annotations

import functools
import operator


class Scalaire:
    """Une consultation : ``where``/``minimum``/``maximum`` sur des entiers et des booléens Python."""

    @staticmethod
    def where(condition, oui, non):
        return oui if condition else non

    minimum = staticmethod(min)
    maximum = staticmethod(max)

    @staticmethod
    def non(a):
        return not a

    @staticmethod
    def et(*a):
        return all(a)

    @staticmethod
    def ou(*a):
        return any(a)


SCALAIRE = Scalaire()


@functools.lru_cache(maxsize=1)
def tableau():
    """Une table : les mêmes opérations, élément par élément, avec numpy (importé ici seulement)."""
    import numpy as np

    class Tableau:
        where = staticmethod(np.where)
        minimum = staticmethod(np.minimum)
        maximum = staticmethod(np.maximum)
        non = staticmethod(np.logical_not)

        @staticmethod
        def et(*a):
            return functools.reduce(operator.and_, a)

        @staticmethod
        def ou(*a):
            return functools.reduce(operator.or_, a)

    return Tableau()


def div_arrondi(num, den):
    """``num / den`` arrondi au plus proche, demi vers le haut (num ≥ 0, den > 0).

    C'est la règle de :func:`reimb.montants.arrondi`, en entiers : ``(2·num + den) // (2·den)``.

    >>> div_arrondi(427, 1000), div_arrondi(5, 10), div_arrondi(4, 10)
    (0, 1, 0)
    """
    return (2 * num + den) // (2 * den)


def div_plafond(num, den):
    """``num / den`` arrondi à l'entier supérieur (num ≥ 0, den > 0).

    >>> div_plafond(3290, 100), div_plafond(3300, 100)
    (33, 33)
    """
    return (num + den - 1) // den
