"""Ce qui est déjà compté : les participations d'une personne avant chaque consultation d'une table.

Les plafonds de la participation forfaitaire (par jour et professionnel, par année civile) sont des
règles du noyau (:mod:`reimb.regles.noyau`) qui lisent « ce qui est déjà compté » : une seule consultation
le reçoit de l'appelant, une table le calcule ici, dans l'ordre des dates puis des lignes.
"""

from __future__ import annotations


def deja_compte(montants, groupe, jours, plafond, valide):
    """Ce que chaque ligne trouve déjà compté dans son groupe (ordre : date, puis ordre de la table).

    Seuls les groupes dont le total dépasse le plafond sont triés : ailleurs le plafond ne peut pas
    jouer, et ce qui est déjà compté est laissé à 0 (le résultat est le même). Les lignes refusées ne
    comptent pas.
    """
    import numpy as np

    n = len(montants)
    deja = np.zeros(n, dtype=np.int64)
    if not n or not valide.any():
        return deja
    montants = np.where(valide, montants, 0).astype(np.int64)
    groupe = np.where(valide, groupe, 0)
    total = np.zeros(int(groupe.max()) + 1, dtype=np.int64)
    np.add.at(total, groupe, montants)  # en centimes entiers, pas en flottants
    a_trier = np.flatnonzero(valide & (total[groupe] > plafond))
    if not len(a_trier):
        return deja
    ordre = a_trier[np.lexsort((a_trier, jours[a_trier], groupe[a_trier]))]
    g_o, m_o = groupe[ordre], montants[ordre]
    cumul = np.cumsum(m_o)
    nouveau = np.ones(len(ordre), dtype=bool)
    nouveau[1:] = g_o[1:] != g_o[:-1]
    depart = np.maximum.accumulate(np.where(nouveau, np.arange(len(ordre)), 0))
    deja[ordre] = cumul - m_o - (cumul[depart] - m_o[depart])
    return deja
