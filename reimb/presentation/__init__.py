"""Ce que voit une personne : format français (Babel), tableaux, graphiques, widgets.

Ce paquet importe le reste de ``reimb`` ; aucun module de calcul ne l'importe. matplotlib,
ipywidgets et pandas ne sont chargés que par ses sous-modules, à leur premier usage.
"""

from .tableaux import Affichage, afficher  # noqa: E402  (Babel seulement : ni matplotlib, ni ipywidgets)

__all__ = ["Affichage", "afficher"]
