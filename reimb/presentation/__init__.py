"""Ce que voit une personne : format français (Babel), tableaux, graphiques, widgets.

Ce paquet importe le reste de ``reimb`` ; aucun module de calcul ne l'importe. matplotlib,
ipywidgets et pandas ne sont chargés que par ses sous-modules, à leur premier usage.
"""

from .apercu import activer_sous_voila
from .tableaux import Affichage, afficher  # noqa: E402  (Babel seulement : ni matplotlib, ni ipywidgets)

# Mode application (Voilà) : chaque widget affiché porte aussi son aperçu en HTML, montré avant le widget vivant
# (voir apercu.py) ; ailleurs, rien ne change.
activer_sous_voila()

__all__ = ["Affichage", "afficher"]
