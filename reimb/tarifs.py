"""La base de remboursement (BRSS) d'une consultation, pour un médecin et une date, avec sa composition.

Pourquoi le patient d'un médecin adhérent (CAS, OPTAM) est-il remboursé sur 28 € et celui d'un
médecin non adhérent sur 23 € ? Parce que les majorations (MPC, MCS, MMG…) ne peuvent être cotées
que par le secteur 1 et les adhérents à un DPTAM (domain-facts §3 ; ameli, page CAS). Les valeurs
sont dans ``parametres/tarifs.toml``.

La règle du 1er avril 2018 (convention 2016, art. 16.2 ; apga-asso.com ; FMF) : un médecin de
secteur 2 (ou 1 DP) **non adhérent** qui facture une consultation **au tarif opposable** peut coter
la MMG, la MCG et la MCS (et la MCC du cardiologue), **pas la MPC**. Le choix du projet, documenté :

- ``honoraires`` égaux à la base « non adhérent au tarif opposable » du jour (par ex. CS 23 € + MCS
  5 € = 28 € en 2019), dans le parcours : c'est cette base qui s'applique (catégorie
  ``hors_dptam_opposable``) ;
- tout autre montant (``honoraires`` plus élevés, ou omis) : le médecin facture un dépassement, la
  base est le code nu (23 €, catégorie ``hors_dptam``) ;
- hors parcours, pas de majoration de coordination : le code nu.

La MPC est exclue suivant apga/FMF ; la CSMF et l'AFPEP-SNPP la disent cotable à tarif opposable :
la réserve est recopiée (``a_verifier``) dans chaque valeur concernée.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .erreurs import ErreurSaisie
from .modele import DPTAM, Medecin
from .montants import euros, montant, montant_court
from .parametres import attribut, parametre, periode, serie, verifier_date

ACTES = ("consultation", "consultation_correspondant")
"""``consultation`` : le médecin traitant (généraliste), ou le spécialiste consulté comme médecin
correspondant dans le parcours ; ``consultation_correspondant`` : un généraliste consulté comme médecin
correspondant (G + MCG) — pour les autres spécialités, c'est la même base que ``consultation``."""


@dataclass(frozen=True, slots=True)
class Base:
    """Une base de remboursement : montant, composition (codes et montants), catégorie et source."""

    valeur: Decimal
    composition: tuple[tuple[str, Decimal], ...]
    categorie: str
    reference: str
    a_verifier: str | None = None

    @property
    def detail(self) -> str:
        """La composition en clair, par ex. ``"CS 23 € + MPC 2 € + MCS 3 €"``."""
        return " + ".join(f"{code} {montant_court(m)} €" for code, m in self.composition)


CATEGORIES = {
    "opposable": "secteur 1 ou médecin adhérent à un DPTAM, dans le parcours",
    "opposable_hors_parcours": "secteur 1 ou médecin adhérent à un DPTAM, patient hors parcours",
    "opposable_moins_de_6_ans": "secteur 1 ou médecin adhérent à un DPTAM, enfant de moins de 6 ans",
    "hors_dptam": "médecin non adhérent à un DPTAM qui facture un dépassement : sans les majorations",
    "hors_dptam_opposable": "médecin non adhérent à un DPTAM qui facture au tarif opposable : majorations de 2018 (MMG, MCG, MCS), sans la MPC",
    "autorite": "médecin non conventionné : tarif d'autorité",
}


def categorie(medecin: Medecin, parcours: bool) -> str:
    """La catégorie de tarif d'un médecin qui facture un dépassement (voir ``CATEGORIES``).

    La catégorie ``hors_dptam_opposable`` dépend aussi des honoraires : c'est :func:`brss` qui la choisit.
    """
    if medecin.secteur == 3:
        return "autorite"
    if medecin.ligne_dptam:
        return "opposable" if parcours else "opposable_hors_parcours"
    return "hors_dptam"


def cle_serie(acte: str, specialite: str) -> str:
    """Le préfixe des séries de tarifs d'un acte et d'une spécialité (``"tarifs.consultation.specialiste"``),
    commun au moteur et au calcul par lot."""
    if acte == "consultation_correspondant" and specialite != "generaliste":
        acte = "consultation"  # le spécialiste de la table est déjà « médecin correspondant »
    return f"tarifs.{acte}.{specialite}"


def _lire(cle: str, cat: str, jour: date, acte: str, medecin: Medecin):
    """La valeur de la table, ou une ErreurSaisie qui demande la base explicitement."""
    nom = f"{cle}.{cat}"
    qui = f"{acte.replace('_', ' ')} de {medecin.specialite} ({CATEGORIES[cat]})"
    conseil = "donnez la base vous-même : reimb.decompte(..., brss=…)"
    try:
        return parametre(nom, jour)
    except KeyError:
        raise ErreurSaisie(
            "brss",
            f"la base d'une {qui} n'est pas établie dans nos sources (fiche de faits §3.1, « ? ») : rien n'est deviné",
            conseil,
        ) from None
    except ErreurSaisie as e:
        if e.champ != "date":
            raise
        raise ErreurSaisie(
            "date",
            f"la table ne donne pas la base d'une {qui} le {jour:%d/%m/%Y}",
            f"{e.acceptes} ; ou, pour cette date, {conseil}",
        ) from None


def verifier_dptam(medecin: Medecin, jour: date) -> tuple[str, str] | None:
    """Le dispositif du médecin existe-t-il à cette date (``parametres/dptam.toml``) ?

    Rend (description, référence) du dispositif, ``None`` sans dispositif ; sinon une ErreurSaisie
    qui donne la période de chaque dispositif, lue dans la table.
    """
    if medecin.dptam is None:
        return None
    debut, fin, description, reference = periode(f"dptam.{medecin.dptam}")
    if jour < debut or (fin is not None and jour > fin):
        nom = f"le {medecin.dptam}" if medecin.dptam == "CAS" else f"l'{medecin.dptam}"
        raise ErreurSaisie(
            "medecin.dptam",
            f"{nom} ({description}) n'existe pas le {jour:%d/%m/%Y} : "
            f"il s'applique {_periode_texte(debut, fin)}",
            ", ".join(f"'{nom}' {_periode_texte(*periode(f'dptam.{nom}')[:2])}" for nom in DPTAM) + ", ou None",
        )
    return description, reference


def _periode_texte(debut: date, fin: date | None) -> str:
    return f"du {debut:%d/%m/%Y} au {fin:%d/%m/%Y}" if fin else f"à partir du {debut:%d/%m/%Y}"


def brss(acte: str, medecin: Medecin, date: date, parcours: bool = True, honoraires: Decimal | None = None,
         age: int | None = None) -> Base:
    """La base de remboursement d'un acte pour ce médecin à cette date.

    ``age`` (facultatif) : l'âge du patient ; chez le généraliste (secteur 1 ou DPTAM), un enfant de moins
    de 6 ans a sa propre base du 1er mai 2017 au 21 décembre 2024 (domain-facts §3.1) ; hors de cette
    période, la base ordinaire est retenue et la base le signale (``a_verifier``).

    ``honoraires`` (facultatif) : le montant facturé. Pour un médecin non adhérent, des honoraires
    égaux à la base « au tarif opposable » du jour appliquent la règle du 1er avril 2018 (majorations
    MMG, MCG, MCS cotables, pas la MPC) ; sans honoraires, ou au-dessus, la base est le code nu.

    >>> from datetime import date
    >>> brss("consultation", Medecin(secteur=2, dptam="CAS", specialite="specialiste"), date(2016, 3, 1)).detail
    'CS 23 € + MPC 2 € + MCS 3 €'
    >>> brss("consultation", Medecin(secteur=2, specialite="specialiste"), date(2019, 3, 1), honoraires=Decimal(28)).detail
    'CS 23 € + MCS 5 €'
    >>> brss("consultation", Medecin(secteur=2, specialite="specialiste"), date(2019, 3, 1), honoraires=Decimal(40)).valeur
    Decimal('23.00')
    """
    if acte not in ACTES:
        raise ErreurSaisie("acte", f"{acte!r} n'a pas de base dans la table", ", ".join(repr(a) for a in ACTES) + " (ou donnez brss=…)")
    if not isinstance(medecin, Medecin):
        raise ErreurSaisie("medecin", f"{type(medecin).__name__} n'est pas un Medecin", "reimb.Medecin(secteur=…)")
    if not isinstance(parcours, bool):
        raise ErreurSaisie("parcours", f"{parcours!r} n'est pas un booléen", "True (parcours de soins) ou False")
    verifier_date(date)
    verifier_dptam(medecin, date)
    if honoraires is not None:
        honoraires = montant(honoraires, "honoraires")
    cle = cle_serie(acte, medecin.specialite)
    cat = categorie(medecin, parcours)

    if cat == "hors_dptam" and parcours and honoraires is not None:
        # Règle du 1er avril 2018 : au tarif opposable, les majorations ouvertes aux non-adhérents.
        nom18 = f"{cle}.hors_dptam_opposable"
        try:
            opposable = parametre(nom18, date)
        except KeyError:  # pas de série pour cette spécialité : la règle n'y est pas établie
            opposable = None
        except ErreurSaisie as e:
            if e.champ != "date":
                raise
            opposable = None
            fin = serie(nom18)[-1].fin
            if fin is not None and date > fin:
                # Après la fin de la série, la base « au tarif opposable » d'un non-adhérent n'est pas
                # établie. Des honoraires égaux à la base du secteur 1 ressemblent à un acte au tarif
                # opposable : la base n'est pas devinée (ni le code nu, ni la base du secteur 1).
                try:
                    secteur_1 = parametre(f"{cle}.opposable", date)
                except (KeyError, ErreurSaisie):
                    secteur_1 = None
                if secteur_1 is not None and honoraires == secteur_1.valeur:
                    raise ErreurSaisie(
                        "brss",
                        f"des honoraires de {euros(honoraires)}, la base du secteur 1 ce jour-là, chez un médecin non "
                        f"adhérent : s'ils sont facturés au tarif opposable, la base n'est pas établie dans nos sources "
                        f"après le {fin:%d/%m/%Y} (règle du 1er avril 2018) ; rien n'est deviné",
                        "donnez la base vous-même : reimb.decompte(..., brss=…) (celle du décompte de l'Assurance maladie)",
                    ) from None
        if opposable is not None and honoraires == opposable.valeur:
            return Base(opposable.valeur, opposable.composition, "hors_dptam_opposable", opposable.reference, opposable.a_verifier)

    note_enfant = None
    if cat == "opposable" and age is not None:
        enfant, note_enfant = _base_enfant(cle, date, age)
        if enfant is not None:
            return enfant

    v = _lire(cle, cat, date, acte, medecin)
    a_verifier = v.a_verifier
    if note_enfant:
        a_verifier = f"{a_verifier} ; {note_enfant}" if a_verifier else note_enfant
    return Base(v.valeur, v.composition, cat, v.reference, a_verifier)


def _base_enfant(cle: str, jour: date, age) -> tuple[Base | None, str | None]:
    """La base propre aux jeunes enfants (``<cle>.opposable_moins_de_6_ans``), ou une note si elle
    n'est pas établie à cette date ; (None, None) si elle ne concerne pas ce patient."""
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130:
        raise ErreurSaisie("age", f"{age!r} n'est pas un âge valide", "un nombre entier d'années de 0 à 130")
    nom = f"{cle}.opposable_moins_de_6_ans"
    try:
        seuil = attribut(nom, "age_inferieur_a")
    except KeyError:
        return None, None
    if age >= seuil:
        return None, None
    try:
        v = parametre(nom, jour)
    except ErreurSaisie as e:
        if e.champ != "date":
            raise
        return None, (f"base propre aux enfants de moins de {seuil} ans non établie le {jour:%d/%m/%Y} "
                      "(établie du 01/05/2017 au 21/12/2024) : base ordinaire retenue")
    return Base(v.valeur, v.composition, "opposable_moins_de_6_ans", v.reference, v.a_verifier), None
