"""Oracle des tests : la règle d'argent de chaque formulation de garantie, réécrite à part, en centimes entiers.

Fonctions pures (aucune date, aucun fichier) : elles reçoivent les montants du décompte en centimes et
une :class:`~reimb.formules.Formule`, et rendent ce que verse la complémentaire (AMC), avec la limite qui
a joué. L'ordre suit le droit :

1. **la formule** (tableau de garanties ; fiche de faits §8) :

   - « X % BR » ou « X % BR RO inclus » (Sécurité sociale comprise) : ``min(frais, X % × BR) − AMO brut`` ;
   - « RO + X % BR » / « X % BR en plus du RO » : ``X % × BR``, versé en plus de la Sécurité sociale ;
   - « X % TM » : ``X % × (BR − AMO brut)``, le ticket modérateur ;
   - « X % FR » / « frais réels » : ``min(frais, X % × frais) − AMO brut`` ;
   - un forfait par acte (« + 20 € ») s'ajoute ;

   ``AMO brut`` est le remboursement Sécu **avant** participation forfaitaire : celle-ci reste au patient.
   Chaque produit « % × base » est arrondi au centime, demi vers le haut (la règle du projet) ;
2. **le plafond du contrat responsable** (CSS art. R.871-2, « double limite ») : sur le **total**
   Sécu + complémentaire de la ligne, quelle que soit sa forme (forfait compris) ;
3. **le principe indemnitaire** (Code de la mutualité art. L.224-8) : jamais plus que la dépense
   laissée par la Sécurité sociale, ``frais − AMO brut`` ;
4. hors parcours, pour un contrat responsable (CSS art. R.871-1) : ni la majoration du ticket
   modérateur, ni le dépassement autorisé (DA). Choix du projet, le même que pour « X % BR » depuis
   toujours : la formule est calculée avec le remboursement Sécu **du parcours** (``amo_reference`` =
   AMO brut + majoration), et la dépense prise en compte est diminuée du DA ;
5. **le plafond annuel** de la ligne : ``plafond − ce que la ligne a déjà versé à la personne cette année``
   (jamais négatif).

Ce module n'est **pas** dans la bibliothèque : c'est une seconde écriture, lisible et indépendante, de ces
règles, qui sert d'oracle aux tests. La bibliothèque les applique une seule fois, dans son noyau
(:mod:`reimb.regles.noyau`, règles ``formule_ligne``, ``plafond_responsable``, ``montant_garanti``,
``plafond_annuel_garantie`` ; le niveau d'une ligne en « % de la BRSS » pour la double limite :
:func:`reimb.regles.noyau.equivalent_br`, appelé par :func:`reimb.decompte.equivalent_br`). Un test de propriétés
vérifie que les deux donnent le même montant sur des milliers de cas (``tests/test_formules.py``).

Une différence connue : :func:`equivalent_br` ci-dessous calcule « X % TM » exactement et convertit un forfait au
centième de point ; le noyau arrondit l'un et l'autre à l'échelle des pourcentages du décompte (10⁻ᵏ point, k ≥ 2
dans le parcours et dès qu'une ligne a un forfait). Aux échelles des décomptes du cours, les deux s'accordent.

Les montants d'entrée et de sortie sont des ``int`` (centimes).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reimb.formules import FRAIS_REELS, Formule
from reimb.montants import CENT

FORMULE = "formule"
PLAFOND_ANNUEL = "plafond_annuel"
RESPONSABLE = "responsable"
PRINCIPE_INDEMNITAIRE = "principe_indemnitaire"
EXCLUSIONS = "exclusions"


def pourcentage_de(centimes: int, pourcentage: Decimal) -> int:
    """``pourcentage`` % de ``centimes``, arrondi au centime, demi vers le haut (la règle du projet).

    >>> pourcentage_de(3150, Decimal(125))     # 125 % × 31,50 € = 39,375 € → 39,38 €
    3938
    """
    return int((Decimal(centimes) * pourcentage / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class CalculFormule:
    """Le détail du calcul d'une ligne, en centimes.

    ``montant_formule`` : ce que donne la formule seule (partie en % ; pour « Sécurité sociale comprise »,
    déjà diminuée de la part Sécu) ; ``forfait`` : le forfait par acte ajouté ; ``avant_limites`` : leur
    somme ; ``garanti_total`` : le total Sécu + complémentaire promis par la formule (pour l'explication) ;
    ``plafond_annuel_restant`` : ce qui restait du plafond annuel (``None`` : pas de plafond) ;
    ``plafond_responsable`` : l'AMC maximale permise par R.871-2 (``None`` : pas de plafond) ;
    ``amc`` : le montant versé ; ``limite`` : la limite qui a réduit le montant en dernier ressort
    (``None`` si aucune : :data:`PLAFOND_ANNUEL`, :data:`RESPONSABLE`, :data:`PRINCIPE_INDEMNITAIRE`,
    :data:`EXCLUSIONS`).
    """

    montant_formule: int
    forfait: int
    avant_limites: int
    garanti_total: int
    plafond_annuel_restant: int | None
    plafond_responsable: int | None
    maximum_indemnitaire: int
    maximum_exclusions: int | None
    amc: int
    limite: str | None


def montant_formule(f: Formule, *, frais: int, brss: int, amo_brut: int) -> tuple[int, int]:
    """(partie en %, total garanti Sécu comprise) de la formule seule, en centimes, jamais négatifs.

    ``frais`` : la dépense ; ``brss`` : la base de remboursement ; ``amo_brut`` : le remboursement Sécu avant
    participation forfaitaire.
    """
    if f.sur == "FR":
        garanti = min(frais, pourcentage_de(frais, f.pourcentage))
        return max(garanti - amo_brut, 0), garanti
    if f.sur == "TM":
        ticket = max(brss - amo_brut, 0)
        part = pourcentage_de(ticket, f.pourcentage)
        return part, amo_brut + part
    if f.ro_inclus:
        garanti = min(frais, pourcentage_de(brss, f.pourcentage))
        return max(garanti - amo_brut, 0), garanti
    part = pourcentage_de(brss, f.pourcentage)
    return part, amo_brut + part


def appliquer(
    f: Formule,
    *,
    frais: int,
    brss: int,
    amo_brut: int,
    majoration: int = 0,
    depassement_autorise_exclu: int = 0,
    exclusions: bool = False,
    plafond_total: int | None = None,
    deja_rembourse_annee: int = 0,
) -> CalculFormule:
    """L'AMC d'une ligne de garantie de forme quelconque, en centimes, et la limite qui a joué.

    ``plafond_total`` : le total Sécu + complémentaire permis par le contrat responsable (R.871-2) pour
    cette ligne, en centimes (``None`` : pas de plafond) ; ``exclusions`` : contrat responsable hors
    parcours (R.871-1) — ``majoration`` (majoration du ticket modérateur) et
    ``depassement_autorise_exclu`` (le DA facturé) ne sont alors pas pris en charge ;
    ``deja_rembourse_annee`` : ce que la ligne a déjà versé cette année à cette personne (plafond annuel).

    >>> from reimb.formules import lire_formule
    >>> appliquer(lire_formule("RO + 100 % BR"), frais=5000, brss=3000, amo_brut=2100).amc   # 100 % × 30 € = 30 €
    2900
    """
    amo_reference = amo_brut + majoration if exclusions else amo_brut
    partie, garanti = montant_formule(f, frais=frais, brss=brss, amo_brut=amo_reference)
    forfait = int(f.forfait * 100)
    montant = partie + forfait
    amc, limite = montant, None

    plafond_responsable = None
    if plafond_total is not None:
        plafond_responsable = max(plafond_total - amo_reference, 0)
        if amc > plafond_responsable:
            amc, limite = plafond_responsable, RESPONSABLE

    maximum = max(frais - amo_brut, 0)
    if amc > maximum:
        amc, limite = maximum, PRINCIPE_INDEMNITAIRE

    maximum_exclusions = None
    if exclusions:
        maximum_exclusions = max(frais - depassement_autorise_exclu - amo_reference, 0)
        if amc > maximum_exclusions:
            amc, limite = maximum_exclusions, EXCLUSIONS

    # Le plafond annuel en dernier : ce qui a été versé (après toutes les autres limites) entame le plafond ;
    # le montant est le même dans n'importe quel ordre (des minimums), l'ordre dit seulement quelle limite a joué.
    restant = None
    if f.plafond_annuel is not None:
        restant = max(int(f.plafond_annuel * 100) - deja_rembourse_annee, 0)
        if amc > restant:
            amc, limite = restant, PLAFOND_ANNUEL

    return CalculFormule(
        montant_formule=partie, forfait=forfait, avant_limites=montant, garanti_total=garanti + forfait,
        plafond_annuel_restant=restant, plafond_responsable=plafond_responsable, maximum_indemnitaire=maximum,
        maximum_exclusions=maximum_exclusions, amc=amc, limite=limite,
    )


def equivalent_br(f: Formule, *, brss: int, taux_amo: Decimal) -> Decimal | str:
    """La formule en « % de la BR, Sécurité sociale comprise », pour la double limite de R.871-2 (qui
    compare des niveaux en % de la BR) : ``"frais réels"`` pour une forme sur la dépense.

    ``taux_amo`` : le taux de remboursement Sécu du parcours, en % ; ``brss`` : la base, en centimes
    (pour convertir un forfait en euros). Le plafond annuel n'y entre pas : il ne fait que réduire.

    >>> from reimb.formules import lire_formule
    >>> equivalent_br(lire_formule("RO + 100 % BR"), brss=3000, taux_amo=Decimal(70))
    Decimal('170')
    >>> equivalent_br(lire_formule("100 % BR + 6 €"), brss=3000, taux_amo=Decimal(70)) == 120   # 6 € = 20 % de 30 €
    True
    """
    if f.sur == "FR":
        return FRAIS_REELS
    # Un forfait en euros, en % de la base, au centième de point (arrondi au plus proche, demi vers le haut) :
    # la même conversion que le noyau à l'échelle du décompte (2 décimales dès qu'une ligne a un forfait).
    forfait = (f.forfait * 100 * CENT / brss).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if f.forfait and brss else Decimal(0)
    if f.sur == "TM":
        return taux_amo + f.pourcentage * (CENT - taux_amo) / CENT + forfait
    if f.ro_inclus:
        return f.pourcentage + forfait
    return taux_amo + f.pourcentage + forfait
