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

import bisect
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from decimal import Decimal

from .erreurs import ErreurSaisie
from .modele import DPTAM, LIBELLES_SPECIALITES, Medecin
from .montants import euros, montant, montant_court
from .parametres import attribut, parametre, periode, serie, verifier_date

ACTES = ("consultation", "consultation_correspondant", "consultation_longue", "apc")
"""``consultation`` : le médecin traitant (généraliste), ou le spécialiste consulté comme médecin
correspondant dans le parcours ; ``consultation_correspondant`` : un généraliste consulté comme médecin
correspondant (G + MCG) — pour les autres spécialités, c'est la même base que ``consultation`` ;
``consultation_longue`` : la consultation longue du médecin traitant (GL, patients de 80 ans et plus, à
partir du 1er janvier 2026) ; ``apc`` : l'avis ponctuel de consultant d'un spécialiste, à la demande du
médecin traitant."""

LIBELLES_ACTES = {
    "consultation": "consultation",
    "consultation_correspondant": "consultation comme médecin correspondant",
    "consultation_longue": "consultation longue du médecin traitant",
    "apc": "avis ponctuel de consultant",
}
_ARTICLES = {"apc": "l'"}


def acte_avec_article(acte: str) -> str:
    """« la consultation longue du médecin traitant », « l'avis ponctuel de consultant »."""
    return _ARTICLES.get(acte, "la ") + LIBELLES_ACTES[acte]


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
    "opposable_moins_de_2_ans": "secteur 1 ou médecin adhérent à un DPTAM, enfant de moins de 2 ans",
    "opposable_2_a_6_ans": "secteur 1 ou médecin adhérent à un DPTAM, enfant de 2 à moins de 6 ans",
    "opposable_moins_de_25_ans": "secteur 1 ou médecin adhérent à un DPTAM, patient de moins de 25 ans",
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
    qui = f"{LIBELLES_ACTES[acte]} de {LIBELLES_SPECIALITES[medecin.specialite]} ({CATEGORIES.get(cat, cat)})"
    conseil = "donnez la base vous-même : reimb.decompte(..., brss=…)"
    try:
        return parametre(nom, jour)
    except KeyError:
        raise ErreurSaisie(
            "brss",
            f"la base ({qui}) n'est pas établie dans nos sources : rien n'est deviné",
            conseil,
        ) from None
    except ErreurSaisie as e:
        if e.champ != "date":
            raise
        raise ErreurSaisie(
            "date",
            f"la table ne donne pas la base ({qui}) le {jour:%d/%m/%Y}",
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
    regles_acte = _conditions_acte(acte, cle, medecin, date, parcours, age)
    cat = categorie(medecin, parcours)
    if regles_acte.get("tarif_opposable_obligatoire") and cat == "hors_dptam":
        cat = "hors_dptam_opposable"  # l'acte se facture au tarif opposable, adhérent ou non
    if not parcours and cat == "opposable_hors_parcours" and acces_direct(acte, medecin.specialite, age) is not None:
        cat = "opposable"  # accès direct : la base du parcours s'applique (et le taux du parcours, voir le décompte)

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

    note_age = None
    base = None
    if cat == "opposable" and age is not None:
        base, note_age = _base_tranche(cle, date, age)
    if base is None:
        v = _lire(cle, cat, date, acte, medecin)
        a_verifier = v.a_verifier
        if note_age:
            a_verifier = f"{a_verifier} ; {note_age}" if a_verifier else note_age
        base = Base(v.valeur, v.composition, cat, v.reference, a_verifier)
    if regles_acte.get("tarif_opposable_obligatoire") and honoraires is not None and honoraires != base.valeur:
        raise ErreurSaisie(
            "honoraires",
            f"{acte_avec_article(acte)} se facture au tarif opposable, {euros(base.valeur)}, sans dépassement "
            f"(pas {euros(honoraires)})",
            f"des honoraires de {euros(base.valeur)}",
        )
    return base


def _verifier_age(age) -> int:
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130:
        raise ErreurSaisie("patient.age", f"{age!r} n'est pas un âge valide", "un nombre entier d'années de 0 à 130")
    return age


def _conditions_acte(acte: str, cle: str, medecin: Medecin, jour: date, parcours: bool, age) -> dict:
    """Les conditions propres à un acte, lues sur sa série « opposable » (``parametres/tarifs.toml``) :
    spécialités qui le facturent, date de création, parcours, âge du patient. Rend les attributs de la série."""
    prefixe, spe = cle.rsplit(".", 1)
    libelle = LIBELLES_ACTES[acte]
    le = acte_avec_article(acte)
    try:
        regles = attribut(prefixe, spe).get("opposable", {})
    except KeyError:
        possibles = [s for s in LIBELLES_SPECIALITES if _existe(prefixe, s)]
        raise ErreurSaisie(
            "medecin.specialite",
            f"la table n'a pas de {libelle} pour un médecin {LIBELLES_SPECIALITES[medecin.specialite]}",
            ", ".join(f"{s!r} ({LIBELLES_SPECIALITES[s]})" for s in possibles) + " ; ou donnez la base : brss=…",
        ) from None
    if regles.get("tarif_opposable_obligatoire") and medecin.secteur == 3:
        raise ErreurSaisie(
            "medecin.secteur",
            f"{le} est un acte de la convention médicale : un médecin non conventionné ne peut pas la facturer",
            "un médecin conventionné : secteur 1 ou secteur 2",
        )
    debut_acte = regles.get("debut_acte")
    if debut_acte is not None and jour < debut_acte:
        raise ErreurSaisie(
            "date",
            f"{le} n'existe pas le {jour:%d/%m/%Y} : facturable à partir du {debut_acte:%d/%m/%Y}",
            f"une date à partir du {debut_acte:%d/%m/%Y} ; avant, une consultation ordinaire (acte='consultation')",
        )
    if regles.get("parcours_requis") and not parcours:
        raise ErreurSaisie(
            "parcours",
            f"{le} n'existe que dans le parcours de soins (à la demande ou par le médecin traitant)",
            "parcours=True ; hors parcours, une consultation ordinaire (acte='consultation')",
        )
    age_minimum = regles.get("age_minimum")
    if age_minimum is not None:
        if age is None or _verifier_age(age) < age_minimum:
            vu = "l'âge du patient n'est pas donné" if age is None else f"le patient a {age} ans"
            raise ErreurSaisie(
                "patient.age",
                f"{le} est réservée aux patients de {age_minimum} ans et plus : {vu}",
                f"un âge de {age_minimum} ans ou plus ; sinon une consultation ordinaire (acte='consultation')",
            )
    if regles.get("age_requis") and age is None:
        raise ErreurSaisie(
            "patient.age",
            f"la base de {le} de {LIBELLES_SPECIALITES[medecin.specialite]} dépend de l'âge du patient, "
            "qui n'est pas donné",
            "un âge en années : brss(..., age=…) ou Patient(age=…)",
        )
    return regles


def _existe(prefixe: str, specialite: str) -> bool:
    try:
        attribut(prefixe, specialite)
    except KeyError:
        return False
    return True


@lru_cache(maxsize=None)
def _tranches(cle: str) -> tuple[tuple[str, int, int | None, bool], ...]:
    """Les bases propres à une tranche d'âge (``opposable_<tranche>``) : (catégorie, âge minimum, âge
    maximum exclu, la majoration est-elle créée à sa première date ?), lues dans la table."""
    prefixe, spe = cle.rsplit(".", 1)
    try:
        noeud = attribut(prefixe, spe)
    except KeyError:
        return ()
    return tuple(
        (cat, int(sous.get("age_minimum", 0)), sous.get("age_inferieur_a"), bool(sous.get("creee_a_sa_premiere_date")))
        for cat, sous in noeud.items()
        if cat.startswith("opposable_") and isinstance(sous, dict) and ("age_minimum" in sous or "age_inferieur_a" in sous)
    )


def _base_tranche(cle: str, jour: date, age) -> tuple[Base | None, str | None]:
    """La base propre à la tranche d'âge du patient, ou une note si elle n'est pas établie à cette date ;
    (None, None) si aucune tranche ne concerne ce patient ce jour-là."""
    _verifier_age(age)
    for cat, age_min, age_max, creee in _tranches(cle):
        if age < age_min or (age_max is not None and age >= age_max):
            continue
        nom = f"{cle}.{cat}"
        try:
            v = parametre(nom, jour)
        except ErreurSaisie as e:
            if e.champ != "date":
                raise
            valeurs = serie(nom)
            if creee and jour < valeurs[0].debut:
                return None, None  # la base propre n'existait pas encore : la base ordinaire s'applique
            fin = valeurs[-1].fin
            etablie = f"du {valeurs[0].debut:%d/%m/%Y} au {fin:%d/%m/%Y}" if fin else f"à partir du {valeurs[0].debut:%d/%m/%Y}"
            return None, (f"base propre aux patients « {CATEGORIES.get(cat, cat)} » non établie le {jour:%d/%m/%Y} "
                          f"(établie {etablie}) : base ordinaire retenue")
        return Base(v.valeur, v.composition, cat, v.reference, v.a_verifier), None
    return None, None


_CLES_AGE = ("age_minimum", "age_inferieur_a", "acces_direct_age_minimum", "acces_direct_age_inferieur_a")


@lru_cache(maxsize=1)
def seuils_age() -> tuple[int, ...]:
    """Les âges où une base change (tranches d'âge et âges minimum des actes), lus dans la table, triés.

    Deux patients dont les âges ne sont séparés par aucun seuil ont la même base pour tout acte : un calcul
    par lot n'a besoin que d'une recherche par intervalle (voir :func:`age_representatif`).
    """
    seuils = set()
    for acte in ACTES:
        for noeud_spe in attribut("tarifs", acte).values():
            for sous in noeud_spe.values():
                if isinstance(sous, dict):
                    seuils.update(int(sous[k]) for k in _CLES_AGE if k in sous)
    return tuple(sorted(seuils))


def age_representatif(age: int) -> int:
    """Le plus petit âge de l'intervalle de ``age`` entre deux seuils de :func:`seuils_age` : même base.

    >>> age_representatif(45) == age_representatif(60)
    True
    >>> age_representatif(1) == age_representatif(3)
    False
    """
    seuils = seuils_age()
    i = bisect.bisect_right(seuils, age)
    return seuils[i - 1] if i else 0


@lru_cache(maxsize=4096)
def acces_direct(acte: str, specialite: str, age: int | None) -> str | None:
    """La référence de l'accès direct si ce patient peut consulter ce spécialiste sans passer par son médecin
    traitant, sans majoration hors parcours (gynécologue ; psychiatre de 16 à 25 ans) ; ``None`` sinon.

    >>> acces_direct("consultation", "gynecologue", 40) is not None
    True
    >>> acces_direct("consultation", "psychiatre", 30) is None
    True
    """
    prefixe, spe = cle_serie(acte, specialite).rsplit(".", 1)
    try:
        regles = attribut(prefixe, spe).get("opposable", {})
    except KeyError:
        return None
    if regles.get("acces_direct"):
        return regles.get("reference_acces_direct", "CSS art. L.162-5-3")
    minimum, maximum = regles.get("acces_direct_age_minimum"), regles.get("acces_direct_age_inferieur_a")
    if minimum is not None and age is not None and minimum <= age < maximum:
        return regles.get("reference_acces_direct", "CSS art. L.162-5-3")
    return None


def tarif_opposable_obligatoire(acte: str, specialite: str) -> bool:
    """L'acte se facture-t-il au tarif opposable, sans dépassement, chez ce médecin (attribut
    ``tarif_opposable_obligatoire`` de sa série, ex. la consultation longue du médecin traitant) ?
    Alors les honoraires ne peuvent valoir que la base : :func:`brss` refuse tout autre montant.

    >>> tarif_opposable_obligatoire("consultation_longue", "generaliste"), tarif_opposable_obligatoire("consultation", "generaliste")
    (True, False)
    """
    prefixe, spe = cle_serie(acte, specialite).rsplit(".", 1)
    try:
        return bool(attribut(prefixe, spe).get("opposable", {}).get("tarif_opposable_obligatoire"))
    except KeyError:
        return False


def acces_direct_colonnes(actes, specialites, ages):
    """:func:`acces_direct` pour des colonnes d'indices (``ACTES``, ``modele.SPECIALITES``) et d'âges (numpy) :
    un appel par combinaison distincte (acte, spécialité, intervalle d'âge de :func:`seuils_age`)."""
    import numpy as np

    from .modele import SPECIALITES

    seuils = np.asarray(seuils_age(), dtype=np.int64)
    rang = np.searchsorted(seuils, np.asarray(ages, dtype=np.int64), side="right")
    cle = (np.asarray(actes, dtype=np.int64) * len(SPECIALITES) + specialites) * (len(seuils) + 1) + rang
    uniques, inverse = np.unique(cle, return_inverse=True)
    resultats = []
    for u in uniques.tolist():
        reste, r = divmod(u, len(seuils) + 1)
        a, s = divmod(reste, len(SPECIALITES))
        age = int(seuils[r - 1]) if r else 0
        resultats.append(acces_direct(ACTES[a], SPECIALITES[s], age) is not None)
    return np.asarray(resultats, dtype=bool)[inverse.reshape(-1)]
