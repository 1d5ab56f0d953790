"""reimb — le décompte exact d'une consultation médicale en France.

Ce que paient la Sécurité sociale (AMO) et la complémentaire (AMC), ce qui reste au patient, et
pourquoi : chaque décompte porte ses étapes, chaque étape cite sa règle. Les taux, tarifs et
plafonds sont des données datées et sourcées (``reimb/parametres/``).

>>> from datetime import date
>>> import reimb
>>> d = reimb.decompte(honoraires="50", date=date(2016, 3, 1),
...                    medecin=reimb.Medecin(secteur=2, dptam="CAS", specialite="specialiste"),
...                    patient=reimb.Patient(age=45), garantie=reimb.Garantie(dptam=125, hors_dptam=125))
>>> d.amo, d.amc, d.reste_a_charge
(Decimal('18.60'), Decimal('15.40'), Decimal('16.00'))
"""

from .decompte import Decompte, Etape, RetenueDifferee, decompte, retenue_differee
from .erreurs import ErreurSaisie
from .modele import FRAIS_REELS, Garantie, Medecin, Patient
from .montants import arrondi
from .parametres import Scenario, parametre
from .responsable import Controle, Rapport, plafond_hors_dptam, verifier_responsable
from .tarifs import Base, brss
from .garanties import Niveau, TableauGaranties, charger_garanties
from .optam import EffetAdhesion, Engagements, effet_adhesion, evaluer_engagements
from .formules import Formule, lire_formule
from .exemples import Comparaison, comparer_garanties, exemples_remboursement
from .responsable import Remarque

__all__ = [
    "Base", "Controle", "Decompte", "ErreurSaisie", "Etape", "FRAIS_REELS", "Garantie", "Medecin",
    "Patient", "Rapport", "Scenario", "arrondi", "brss", "decompte", "parametre", "plafond_hors_dptam",
    "verifier_responsable",
    "EffetAdhesion", "Engagements", "Niveau", "Remarque", "TableauGaranties", "charger_garanties",
    "effet_adhesion", "evaluer_engagements",
    "Comparaison", "Formule", "comparer_garanties", "exemples_remboursement", "lire_formule",
    "RetenueDifferee", "retenue_differee",
]
__version__ = "0.1.0"


def __getattr__(nom):
    # Le calcul par lot charge pandas et numpy : il n'est importé qu'au premier usage de
    # reimb.decompte_lot, pour que « import reimb » reste léger (hors de __all__ pour la même raison).
    if nom == "decompte_lot":
        from .lot import decompte_lot

        return decompte_lot
    if nom == "ErreurLot":
        from .lot import ErreurLot

        return ErreurLot
    if nom in ("population", "lot", "colonnes", "evaluation", "glossaire", "optam", "garanties"):
        import importlib

        return importlib.import_module(f".{nom}", __name__)
    raise AttributeError(f"module 'reimb' has no attribute {nom!r}")
