"""Le moteur : le décompte exact d'une consultation, étape par étape, chaque étape citant sa règle.

Conventions (domain-facts, « Worked examples ») :

- ``amo_brut = arrondi(taux × BRSS)`` ; ``amo = amo_brut − participation forfaitaire`` (jamais < 0 :
  le reliquat est « reporté » sur un remboursement ultérieur — choix du projet, calqué sur le tiers
  payant (D.322-3) ; le cas n'est pas établi, une source dit que la participation n'est alors pas
  appliquée : domain-facts §9) ;
- garantie « X % BRSS » (Sécu comprise) : ``amc = min(honoraires, X % × BRSS) − amo_brut``, jamais
  négative ; la participation forfaitaire reste donc au patient ;
- ``reste_a_charge = honoraires − amo − amc`` : les trois parts s'additionnent exactement aux honoraires.

Ce module est le frontal d'une consultation : il vérifie la saisie, lit la base (:func:`reimb.tarifs.brss`)
et les paramètres du jour, passe en centimes, applique le noyau de règles (:mod:`reimb.regles`, le
même que celui du calcul par lot) et fait écrire les étapes par :mod:`reimb.explication`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal

from . import tarifs
from .erreurs import ErreurSaisie
from .explication import Calcul, Contexte, Etape, eur, etapes
from .modele import FRAIS_REELS, Garantie, Medecin, Patient
from .montants import CENT, ZERO, en_decimal, montant, montant_court
from .parametres import Scenario, parametre, scenario_actif, verifier_date
from .regles import SCALAIRE, calculer, premier_refus
from .responsable import plafond_hors_dptam_detail

__all__ = ["Calcul", "Decompte", "Etape", "decompte"]


@dataclass(frozen=True, slots=True)
class Decompte:
    """Le résultat : les montants (``Decimal`` au centime) et les étapes qui les expliquent."""

    date: Date
    honoraires: Decimal
    brss: Decimal
    taux: Decimal
    amo_brut: Decimal
    participation_forfaitaire: Decimal
    participation_forfaitaire_reportee: Decimal
    amo: Decimal
    ticket_moderateur: Decimal
    depassement: Decimal
    amc: Decimal
    reste_a_charge: Decimal
    etapes: tuple[Etape, ...]
    medecin: Medecin
    patient: Patient
    garantie: Garantie | None
    parcours: bool
    niveau_applique: Decimal | str | None = None
    plafond_responsable_applique: bool = False

    @property
    def base(self) -> Decimal:  # alias lisible
        return self.brss


def decompte(
    honoraires,
    date: Date,
    medecin: Medecin,
    brss=None,
    patient: Patient | None = None,
    garantie: Garantie | None = None,
    parcours: bool = True,
    acte: str = "consultation",
    taux=None,
    *,
    pf_deja_payees_annee=0,
    pf_deja_payees_jour=0,
    scenario: Scenario | None = None,
) -> Decompte:
    """Le décompte d'une consultation : ce que paient la Sécu (AMO), la complémentaire (AMC) et le patient.

    ``honoraires`` et ``brss`` : montants en euros (``str``, ``int``, ``Decimal`` ou ``float``) ;
    ``brss`` omis : la base est lue dans la table des tarifs pour ce médecin et cette date.
    ``taux`` : taux AMO en % pour un acte hors table (par défaut, celui des consultations).
    ``pf_deja_payees_annee`` : participations forfaitaires déjà comptées pour ce patient dans l'année
    civile (en euros, 0 par défaut) — au-delà du plafond annuel (50 €), plus de participation ;
    ``pf_deja_payees_jour`` : celles déjà comptées le même jour chez le même professionnel (plafond
    journalier : 4 participations).
    ``scenario`` : un :class:`~reimb.Scenario` (réforme imaginée) ; les étapes qui en utilisent une
    valeur le disent.
    Toute saisie impossible lève une :class:`ErreurSaisie` en français.
    """
    if scenario is not None:
        with scenario_actif(scenario):
            return decompte(honoraires, date, medecin, brss, patient, garantie, parcours, acte, taux,
                            pf_deja_payees_annee=pf_deja_payees_annee, pf_deja_payees_jour=pf_deja_payees_jour)
    patient, honoraires, brss, deja_annee, deja_jour, c, pe = lire_saisie(
        honoraires, date, medecin, brss, patient, garantie, parcours, acte, pf_deja_payees_annee, pf_deja_payees_jour)
    base_saisie = brss is not None
    if not base_saisie:
        c.base = tarifs.brss(acte, medecin, date, pe, honoraires=honoraires, age=patient.age)
        brss = c.base.valeur
    t_saisi = None
    if taux is not None:
        t_saisi = c.taux_saisi = en_decimal(taux, "taux")
    pourcentages, v = _entrees(honoraires, brss, date, medecin, patient, garantie, pe, c, t_saisi, deja_annee, deja_jour)
    if not pe:
        v["tarif_parcours"], c.reference_da = tarif_du_parcours(acte, medecin, date, patient.age, brss, base_saisie)
    k = max(0, *(-x.as_tuple().exponent for x in pourcentages))
    _mettre_a_l_echelle(v, pourcentages, k)
    calculer(SCALAIRE, v)
    refus = premier_refus(SCALAIRE, v)
    if refus is not None:
        raise ErreurSaisie(refus.champ, refus.message(v), refus.acceptes(v))
    if t_saisi is not None and not ZERO <= t_saisi <= CENT:
        raise ErreurSaisie("taux", f"un taux de {t_saisi} % est impossible", "un pourcentage de 0 à 100")
    return _resultat(v, c, date, medecin, patient, garantie, k)


def lire_saisie(honoraires, date, medecin, brss, patient, garantie, parcours, acte, pf_deja_payees_annee=0,
                pf_deja_payees_jour=0):
    """Les vérifications de la saisie, dans l'ordre du moteur, jusqu'au parcours effectif.

    Rend (patient, honoraires, brss saisie ou None, PF déjà comptées dans l'année, le jour, contexte de
    l'explication, parcours effectif). Le calcul par lot s'en sert pour écrire le message d'une ligne
    refusée à la saisie : les mêmes vérifications, les mêmes mots.
    """
    verifier_date(date)
    if not isinstance(medecin, Medecin):
        raise ErreurSaisie("medecin", f"{type(medecin).__name__} n'est pas un Medecin", "reimb.Medecin(secteur=…)")
    if patient is None:
        patient = Patient()
    elif not isinstance(patient, Patient):
        raise ErreurSaisie("patient", f"{type(patient).__name__} n'est pas un Patient", "reimb.Patient(age=…) ou None")
    if garantie is not None and not isinstance(garantie, Garantie):
        raise ErreurSaisie("garantie", f"{type(garantie).__name__} n'est pas une Garantie", "reimb.Garantie(…) ou None (pas de complémentaire)")
    if not isinstance(parcours, bool):
        raise ErreurSaisie("parcours", f"{parcours!r} n'est pas un booléen", "True (parcours de soins) ou False")
    if not isinstance(acte, str) or acte not in tarifs.ACTES:
        # Vérifié même quand la base est donnée : un acte inconnu ne doit pas passer pour une consultation.
        raise ErreurSaisie("acte", f"{acte!r} n'est pas un acte connu du moteur", ", ".join(repr(a) for a in tarifs.ACTES))
    honoraires = montant(honoraires, "honoraires")
    deja_annee = montant(pf_deja_payees_annee, "pf_deja_payees_annee")
    deja_jour = montant(pf_deja_payees_jour, "pf_deja_payees_jour")
    c = Contexte(medecin=medecin, patient=patient, garantie=garantie, valeurs={},
                 dispositif=tarifs.verifier_dptam(medecin, date))
    pe = _parcours_effectif(parcours, patient, date, c)
    if brss is not None:
        brss = montant(brss, "brss", positif_strict=True)
    return patient, honoraires, brss, deja_annee, deja_jour, c, pe


def _parcours_effectif(parcours: bool, patient: Patient, date: Date, c: Contexte) -> bool:
    """Hors parcours déclaré, un patient sous l'âge du paramètre reste dans le parcours (pas de majoration)."""
    if parcours:
        return True
    age_min = parametre("taux_amo.age_hors_parcours", date)
    if patient.age < age_min.valeur:
        c.valeurs["age_hors_parcours"] = age_min
        return True
    return False


def tarif_du_parcours(acte, medecin, date, age, brss, base_saisie) -> tuple[Decimal, str]:
    """Le tarif du parcours auquel se mesure le dépassement autorisé (convention, art. 37.1), et sa phrase.

    La référence est le tarif *du parcours* (CS + MPC + MCS = 28 € en 2016 → 33 €), pas la base hors
    parcours (CS + MPC = 25 €) : domain-facts §4.3, 28 × 1,175 = 32,90 → 33 €. Une base saisie qui est
    celle de la table (hors parcours ou parcours) désigne cet acte ; sinon, elle en tient lieu.
    """
    if not base_saisie:
        t = tarifs.brss(acte, medecin, date, True, age=age).valeur
        return t, f"tarif du parcours de soins : {montant_court(t)}\u00a0€"
    try:
        t_parcours = tarifs.brss(acte, medecin, date, True, age=age).valeur
        t_hors = tarifs.brss(acte, medecin, date, False, age=age).valeur
    except ErreurSaisie:
        t_parcours = t_hors = None
    if t_parcours is not None and brss in (t_parcours, t_hors):
        return t_parcours, f"tarif du parcours de soins : {montant_court(t_parcours)}\u00a0€ (la base saisie est celle de la table)"
    return brss, f"la base saisie, {montant_court(brss)}\u00a0€, tient lieu de tarif du parcours"


def _entrees(honoraires, brss, date, medecin, patient, garantie, pe, c, t_saisi, deja_annee, deja_jour):
    """Les entrées du noyau (montants en Decimal, pourcentages en Decimal) et la liste des pourcentages."""
    val = c.valeurs
    lire = parametre
    if t_saisi is not None:
        t_normal = t_hp = t_exo = t_saisi
    else:
        val["taux_normal"] = lire("taux_amo.consultation", date)
        t_normal = t_hp = t_exo = val["taux_normal"].valeur
        val["taux"] = val["taux_normal"]
        if not pe:
            val["taux"] = lire("taux_amo.hors_parcours", date)
            t_hp = val["taux"].valeur
        elif patient.ald or patient.maternite:
            val["taux"] = lire("taux_amo.exoneration", date)
            t_exo = val["taux"].valeur
    val["pf"] = lire("participation_forfaitaire.montant", date)
    val["age_pf"] = lire("participation_forfaitaire.age_exoneration", date)
    val["pf_jour"] = lire("participation_forfaitaire.plafond_journalier", date)
    val["pf_annee"] = lire("participation_forfaitaire.plafond_annuel", date)
    da = ZERO
    if not pe:
        val["da"] = lire("depassement_autorise.taux", date)
        da = val["da"].valeur
    a_garantie = garantie is not None and not patient.css
    niv_d = niv_h = ZERO
    fr_d = fr_h = False
    dep_max = ecart = None
    if a_garantie:
        niv = garantie.niveau_pour(medecin)
        c.niveau = c.niveau_applique = niv
        fr_d, fr_h = garantie.dptam == FRAIS_REELS, garantie.hors_dptam == FRAIS_REELS
        niv_d = ZERO if fr_d else garantie.dptam
        niv_h = ZERO if fr_h else garantie.hors_dptam
        if garantie.responsable and not medecin.ligne_dptam:
            val["dep_max"] = lire("contrat_responsable.plafond_depassement_hors_dptam", date)
            val["ecart"] = lire("contrat_responsable.ecart_minimal_dptam", date)
            dep_max, ecart = val["dep_max"].valeur, val["ecart"].valeur
    pourcentages = [t_normal, t_hp, t_exo, da, niv_d, niv_h] + [x for x in (dep_max, ecart) if x is not None]
    v = {
        "honoraires": honoraires, "brss": brss, "tarif_parcours": brss,
        "conventionne": medecin.conventionne, "peut_depasser": medecin.peut_depasser,
        "generaliste": medecin.specialite == "generaliste", "ligne_dptam": medecin.ligne_dptam,
        "pe": pe, "age": patient.age, "css": patient.css, "ald": patient.ald, "maternite": patient.maternite,
        "pf_deja_jour": deja_jour, "pf_deja_annee": deja_annee,
        "garantie": a_garantie, "responsable": a_garantie and garantie.responsable,
        "niv_dptam": niv_d, "fr_dptam": fr_d, "niv_hors": niv_h, "fr_hors": fr_h,
        "da": da, "t_normal": t_normal, "t_hp": t_hp, "t_exo": t_exo,
        "pf_montant": val["pf"].valeur, "age_pf": val["age_pf"].valeur,
        "pf_plafond_jour": val["pf_jour"].valeur, "pf_plafond_annee": val["pf_annee"].valeur,
        "dep_max": dep_max or ZERO, "dep_aucun": dep_max is None, "ecart": ecart or ZERO, "ecart_aucun": ecart is None,
    }
    return pourcentages, v


_MONTANTS = ("honoraires", "brss", "tarif_parcours", "pf_deja_jour", "pf_deja_annee", "pf_montant",
             "pf_plafond_jour", "pf_plafond_annee")
_POURCENTAGES = ("niv_dptam", "niv_hors", "da", "t_normal", "t_hp", "t_exo", "dep_max", "ecart")


def _mettre_a_l_echelle(v: dict, pourcentages, k: int) -> None:
    """Montants en centimes entiers ; pourcentages en entiers à l'échelle 10ᵏ (100 % = ``cent``)."""
    for nom in _MONTANTS:
        v[nom] = int(v[nom].scaleb(2))
    for nom in _POURCENTAGES:
        v[nom] = int(v[nom].scaleb(k))
    v["age_pf"] = int(v["age_pf"])
    v["cent"] = 100 * 10**k


def _resultat(v, c, date, medecin, patient, garantie, k) -> Decompte:
    taux = Decimal(v["taux"]).scaleb(-k) if k else Decimal(v["taux"])
    if c.taux_saisi is not None:
        taux = c.taux_saisi
    elif c.valeurs.get("taux") is not None:
        taux = c.valeurs["taux"].valeur
    if v["plafonne"]:
        c.plafond = plafond_hors_dptam_detail(garantie.dptam, date)
        c.niveau_applique = c.plafond.niveau
    return Decompte(
        date=date, honoraires=eur(v["honoraires"]), brss=eur(v["brss"]), taux=taux, amo_brut=eur(v["amo_brut"]),
        participation_forfaitaire=eur(v["participation_forfaitaire"]),
        participation_forfaitaire_reportee=eur(v["participation_forfaitaire_reportee"]), amo=eur(v["amo"]),
        ticket_moderateur=eur(v["ticket_moderateur"]), depassement=eur(v["depassement"]), amc=eur(v["amc"]),
        reste_a_charge=eur(v["reste_a_charge"]), etapes=etapes(v, c), medecin=medecin, patient=patient,
        garantie=garantie, parcours=v["pe"], niveau_applique=c.niveau_applique if v["garantie"] else None,
        plafond_responsable_applique=bool(v["plafonne"]),
    )
