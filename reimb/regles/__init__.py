"""Le noyau de règles, écrit une fois pour une consultation et pour une table (voir :mod:`.noyau`)."""

from .controles import CONTROLES, Controle, premier_refus
from .noyau import REGLES, calculer, plafond_hors_dptam, retenue_differee
from .xp import SCALAIRE, div_arrondi, div_plafond, tableau

__all__ = [
    "CONTROLES",
    "Controle",
    "REGLES",
    "SCALAIRE",
    "calculer",
    "div_arrondi",
    "div_plafond",
    "plafond_hors_dptam",
    "premier_refus",
    "retenue_differee",
    "tableau",
]
