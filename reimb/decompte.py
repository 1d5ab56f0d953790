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

from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal
from functools import lru_cache

from . import tarifs
from .erreurs import ErreurSaisie
from .explication import Calcul, Contexte, Etape, eur, etapes
from .modele import FRAIS_REELS, Garantie, Medecin, Patient
from .montants import CENT, ZERO, en_decimal, montant, montant_court
from .parametres import Scenario, parametre, scenario_actif, scenario_courant, verifier_date
from .regles import SCALAIRE, calculer, premier_refus
from .regles import noyau
from .regles.noyau import retenue_differee as _retenue_differee
from .responsable import plafond_hors_dptam_detail

__all__ = ["Calcul", "Decompte", "Etape", "RetenueDifferee", "decompte", "equivalent_br", "retenue_differee"]


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
    medecin: Medecin
    patient: Patient
    garantie: Garantie | None
    parcours: bool
    niveau_applique: Decimal | str | None = None
    plafond_responsable_applique: bool = False
    _trace: tuple = field(default=(), repr=False, compare=False)
    _etapes: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def etapes(self) -> tuple[Etape, ...]:
        """Les étapes qui expliquent le décompte, écrites à la première lecture (pas à chaque calcul)
        à partir des valeurs du noyau (:func:`reimb.explication.etapes`)."""
        if self._etapes is None:
            object.__setattr__(self, "_etapes", etapes(*self._trace))
        return self._etapes

    @property
    def base(self) -> Decimal:  # alias lisible
        return self.brss


@dataclass(frozen=True, slots=True)
class RetenueDifferee:
    """Ce que la Sécurité sociale verse pour une consultation quand des participations forfaitaires de consultations
    précédentes, faites en tiers payant, attendent d'être retenues (en euros, ``Decimal``) : le « j'ai payé 30 €, on ne
    m'a remboursé que 15 € » du tutoriel de l'Assurance maladie (service-public.fr A18033).

    ``amo_brut`` : le remboursement avant participation ; ``participation`` : la participation de cette consultation,
    retenue ce jour ; ``amo`` : le remboursement après elle (celui du décompte) ; ``en_attente`` : les participations
    en attente ; ``retenue`` : ce qui en est retenu maintenant ; ``verse`` : ce qui arrive sur le compte du patient ;
    ``reste_en_attente`` : ce qui sera retenu sur un remboursement suivant encore ; ``article`` : la règle.
    """

    amo_brut: Decimal
    participation: Decimal
    amo: Decimal
    participations_en_attente: int
    en_attente: Decimal
    retenue: Decimal
    verse: Decimal
    reste_en_attente: Decimal
    article: str


def retenue_differee(d: Decompte, participations_en_attente: int) -> RetenueDifferee:
    """La retenue différée des participations forfaitaires (CSS art. D.322-3) sur le remboursement du décompte ``d`` :
    ``participations_en_attente`` consultations faites en tiers payant, chacune de la participation de ce décompte,
    n'ont pas encore vu leur participation retenue. La règle est celle du noyau
    (:func:`reimb.regles.noyau.retenue_differee`) : retenue sur le remboursement Sécu, jamais au-delà.

    >>> from datetime import date
    >>> import reimb
    >>> d = reimb.decompte(honoraires="30", date=date(2026, 3, 2), medecin=reimb.Medecin(secteur=1))
    >>> r = retenue_differee(d, 2)    # 70 % × 30 = 21 € ; − 2 € (cette consultation) ; − 2 × 2 € (en attente) = 15 €
    >>> r.amo, r.retenue, r.verse, r.reste_en_attente
    (Decimal('19.00'), Decimal('4.00'), Decimal('15.00'), Decimal('0.00'))
    >>> retenue_differee(d, 12).verse, retenue_differee(d, 12).reste_en_attente  # 24 € en attente > 19 € : 5 € plus tard
    (Decimal('0.00'), Decimal('5.00'))
    """
    if not isinstance(d, Decompte):
        raise ErreurSaisie("d", f"{type(d).__name__} n'est pas un Decompte", "le résultat de reimb.decompte(…)")
    n = participations_en_attente
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ErreurSaisie("participations_en_attente", f"{n!r} n'est pas un nombre de consultations", "un nombre entier ≥ 0")
    en_attente = _centimes(d.participation_forfaitaire) * n
    retenue, verse, reste = _retenue_differee(SCALAIRE, _centimes(d.amo), en_attente)
    return RetenueDifferee(
        amo_brut=d.amo_brut, participation=d.participation_forfaitaire - d.participation_forfaitaire_reportee,
        amo=d.amo, participations_en_attente=n, en_attente=eur(en_attente), retenue=eur(retenue), verse=eur(verse),
        reste_en_attente=eur(reste), article=noyau.retenue_differee.article,
    )


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
    deja_rembourse_annee=0,
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
    ``deja_rembourse_annee`` : ce que la ligne de garantie qui s'applique a déjà versé à ce patient dans
    l'année civile (en euros, 0 par défaut), pour une garantie « … dans la limite de X € par an ».
    ``garantie`` accepte toutes les formulations d'un tableau (« RO + 100 % BR », « 100 % TM »,
    « 100 % BR + 20 € »… : :mod:`reimb.formules`) ; les étapes expliquent la formulation.
    ``scenario`` : un :class:`~reimb.Scenario` (réforme imaginée) ; les étapes qui en utilisent une
    valeur le disent.
    Toute saisie impossible lève une :class:`ErreurSaisie` en français.
    """
    if scenario is not None:
        with scenario_actif(scenario):
            return decompte(honoraires, date, medecin, brss, patient, garantie, parcours, acte, taux,
                            pf_deja_payees_annee=pf_deja_payees_annee, pf_deja_payees_jour=pf_deja_payees_jour,
                            deja_rembourse_annee=deja_rembourse_annee)
    patient, honoraires, brss, deja_annee, deja_jour, c, pe = lire_saisie(
        honoraires, date, medecin, brss, patient, garantie, parcours, acte, pf_deja_payees_annee, pf_deja_payees_jour)
    base_saisie = brss is not None
    if not base_saisie:
        c.base = _brss(acte, medecin, date, pe, honoraires, patient.age, scenario_courant())
        brss = c.base.valeur
    t_saisi = None
    if taux is not None:
        t_saisi = c.taux_saisi = en_decimal(taux, "taux")
    v, k = _entrees(honoraires, brss, date, medecin, patient, garantie, pe, c, t_saisi, deja_annee, deja_jour)
    if not _zero(deja_rembourse_annee):
        v["deja_an"] = _centimes(montant(deja_rembourse_annee, "deja_rembourse_annee"))
    if not pe:
        tarif, c.reference_da = tarif_du_parcours(acte, medecin, date, patient.age, brss, base_saisie)
        v["tarif_parcours"] = _centimes(tarif)
    calculer(SCALAIRE, v)
    refus = premier_refus(SCALAIRE, v)
    if refus is not None:
        raise ErreurSaisie(refus.champ, refus.message(v), refus.acceptes(v))
    if t_saisi is not None and not ZERO <= t_saisi <= CENT:
        raise ErreurSaisie("taux", f"un taux de {t_saisi} % est impossible", "un pourcentage de 0 à 100")
    return _resultat(v, c, date, medecin, patient, garantie, k)


def _zero(x) -> bool:
    """La valeur par défaut (l'entier 0) : rien à lire."""
    return type(x) is int and x == 0


_MONTANTS: dict = {}
_TYPES_GARDES = (str, int, float)


def _montant(valeur, champ: str, positif_strict: bool = False) -> Decimal:
    """:func:`reimb.montants.montant`, gardé en mémoire pour un texte, un ``int`` ou un ``float`` (les mêmes
    saisies reviennent : « 30 », 80.0) ; une saisie refusée n'est pas gardée (l'erreur est levée à chaque fois)."""
    if type(valeur) not in _TYPES_GARDES:
        return montant(valeur, champ, positif_strict=positif_strict)
    cle = (type(valeur), valeur, champ, positif_strict)
    d = _MONTANTS.get(cle)
    if d is None:
        d = montant(valeur, champ, positif_strict=positif_strict)
        if len(_MONTANTS) > 10_000:
            _MONTANTS.clear()
        _MONTANTS[cle] = d
    return d


@lru_cache(maxsize=4096)
def _brss(acte, medecin, date, parcours, honoraires, age, scenario):
    """:func:`reimb.tarifs.brss`, gardé en mémoire (une fonction pure des données ; le scénario dans la clé)."""
    return tarifs.brss(acte, medecin, date, parcours, honoraires=honoraires, age=age)


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
    honoraires = _montant(honoraires, "honoraires")
    deja_annee = ZERO if _zero(pf_deja_payees_annee) else _montant(pf_deja_payees_annee, "pf_deja_payees_annee")
    deja_jour = ZERO if _zero(pf_deja_payees_jour) else _montant(pf_deja_payees_jour, "pf_deja_payees_jour")
    c = Contexte(medecin=medecin, patient=patient, garantie=garantie, valeurs={},
                 dispositif=tarifs.verifier_dptam(medecin, date))
    pe = _parcours_effectif(parcours, patient, date, c, acte)
    if brss is not None:
        brss = _montant(brss, "brss", True)
    return patient, honoraires, brss, deja_annee, deja_jour, c, pe


def _parcours_effectif(parcours: bool, patient: Patient, date: Date, c: Contexte, acte: str = "consultation") -> bool:
    """Hors parcours déclaré, un patient sous l'âge du paramètre reste dans le parcours (pas de majoration) ;
    de même chez un spécialiste en accès direct (gynécologue ; psychiatre de 16 à 25 ans : ``tarifs.acces_direct``)."""
    if parcours:
        return True
    age_min = parametre("taux_amo.age_hors_parcours", date)
    if patient.age < age_min.valeur:
        c.valeurs["age_hors_parcours"] = age_min
        return True
    reference = tarifs.acces_direct(acte, c.medecin.specialite, patient.age)
    if reference is not None:
        c.valeurs["acces_direct"] = reference
        return True
    return False


def tarif_du_parcours(acte, medecin, date, age, brss, base_saisie) -> tuple[Decimal, str]:
    """Le tarif du parcours auquel se mesure le dépassement autorisé (convention, art. 37.1), et sa phrase.

    La référence est le tarif *du parcours* (CS + MPC + MCS = 28 € en 2016 → 33 €), pas la base hors
    parcours (CS + MPC = 25 €) : domain-facts §4.3, 28 × 1,175 = 32,90 → 33 €. Une base saisie qui est
    celle de la table (hors parcours ou parcours) désigne cet acte ; sinon, elle en tient lieu.
    """
    if not base_saisie:
        t = _brss(acte, medecin, date, True, None, age, scenario_courant()).valeur
        return t, f"tarif du parcours de soins : {montant_court(t)}\u00a0€"
    try:
        t_parcours = _brss(acte, medecin, date, True, None, age, scenario_courant()).valeur
        t_hors = _brss(acte, medecin, date, False, None, age, scenario_courant()).valeur
    except ErreurSaisie:
        t_parcours = t_hors = None
    if t_parcours is not None and brss in (t_parcours, t_hors):
        return t_parcours, f"tarif du parcours de soins : {montant_court(t_parcours)}\u00a0€ (la base saisie est celle de la table)"
    return brss, f"la base saisie, {montant_court(brss)}\u00a0€, tient lieu de tarif du parcours"


_LECTURES = (  # (clé de l'explication, paramètre, entrée du noyau, quand le lire)
    ("taux_normal", "taux_amo.consultation", "t_normal", "toujours"),
    ("taux_hp", "taux_amo.hors_parcours", "t_hp", "hors_parcours"),
    ("taux_exo", "taux_amo.exoneration", "t_exo", "exonere"),
    ("pf", "participation_forfaitaire.montant", "pf_montant", "toujours"),
    ("age_pf", "participation_forfaitaire.age_exoneration", "age_pf", "toujours"),
    ("pf_jour", "participation_forfaitaire.plafond_journalier", "pf_plafond_jour", "toujours"),
    ("pf_annee", "participation_forfaitaire.plafond_annuel", "pf_plafond_annee", "toujours"),
    ("da", "depassement_autorise.taux", "da", "hors_parcours"),
    ("dep_max", "contrat_responsable.plafond_depassement_hors_dptam", "dep_max", "plafond"),
    ("ecart", "contrat_responsable.ecart_minimal_dptam", "ecart", "plafond"),
)
_EN_EUROS = {"pf_montant", "pf_plafond_jour", "pf_plafond_annee"}


@lru_cache(maxsize=4096)
def _parametres_du_jour(jour: Date, hors_parcours: bool, exonere: bool, plafond: bool, scenario) -> tuple:
    """(valeurs lues, entrées du noyau, décimales des pourcentages) : les paramètres d'un jour, lus une fois.

    ``scenario`` fait partie de la clé : sous un scénario, les valeurs changées sont d'autres valeurs.
    """
    quand = {"toujours": True, "hors_parcours": hors_parcours, "exonere": exonere, "plafond": plafond}
    valeurs = {cle: parametre(nom, jour) for cle, nom, _, q in _LECTURES if quand[q]}
    lus = {entree: valeurs[cle].valeur for cle, _, entree, _ in _LECTURES if cle in valeurs}
    for entree in ("t_hp", "t_exo"):
        lus.setdefault(entree, lus["t_normal"])
    lus.setdefault("da", ZERO)
    entrees = {"dep_aucun": lus.get("dep_max") is None, "ecart_aucun": lus.get("ecart") is None}
    pourcentages = [x for e, x in lus.items() if e not in _EN_EUROS and e != "age_pf" and x is not None]
    k = max(0, *(-x.as_tuple().exponent for x in pourcentages))
    for entree, x in lus.items():
        entrees[entree] = 0 if x is None else int(x.scaleb(2 if entree in _EN_EUROS else (0 if entree == "age_pf" else k)))
    for entree in ("dep_max", "ecart"):
        entrees.setdefault(entree, 0)
    if valeurs["taux_normal"] is not None:
        valeurs["taux"] = valeurs["taux_hp"] if hors_parcours else valeurs.get("taux_exo", valeurs["taux_normal"])
    return valeurs, entrees, k


def _centimes(d: Decimal) -> int:
    return int(d.scaleb(2))


def _entrees(honoraires, brss, date, medecin, patient, garantie, pe, c, t_saisi, deja_annee, deja_jour):
    """Les entrées du noyau : centimes entiers, pourcentages entiers à l'échelle 10ᵏ (100 % = ``cent``)."""
    a_garantie = garantie is not None and not patient.css
    ligne_dptam = medecin.ligne_dptam
    plafond = a_garantie and garantie.responsable and not ligne_dptam
    valeurs, lus, k = _parametres_du_jour(date, not pe, pe and (patient.ald or patient.maternite), plafond,
                                          scenario_courant())
    c.valeurs.update(valeurs)
    if a_garantie:
        g = _garantie_lue(garantie)
        c.niveau = c.niveau_applique = garantie.niveau_pour(medecin)
        c.formule = garantie.formule_pour(medecin)
    else:
        g = _SANS_GARANTIE
    k2 = k if g[0] <= k else g[0]
    if t_saisi is not None:
        k2 = max(k2, -t_saisi.as_tuple().exponent)
    v = dict(lus)
    if k2 > k:
        facteur = 10 ** (k2 - k)
        for entree in ("t_normal", "t_hp", "t_exo", "da", "dep_max", "ecart"):
            v[entree] *= facteur
    if t_saisi is not None:
        v["t_normal"] = v["t_hp"] = v["t_exo"] = int(t_saisi.scaleb(k2))
        del c.valeurs["taux"]
    v.update(g[1](k2))
    v.update({
        "honoraires": _centimes(honoraires), "brss": _centimes(brss), "cent": 100 * 10**k2,
        "conventionne": medecin.conventionne, "peut_depasser": medecin.peut_depasser,
        "generaliste": medecin.specialite == "generaliste", "ligne_dptam": ligne_dptam,
        "pe": pe, "age": patient.age, "css": patient.css, "ald": patient.ald, "maternite": patient.maternite,
        "pf_deja_jour": _centimes(deja_jour), "pf_deja_annee": _centimes(deja_annee),
        "garantie": a_garantie, "responsable": a_garantie and garantie.responsable, "deja_an": 0,
    })
    v["tarif_parcours"] = v["brss"]
    return v, k2


def _lignes_lues(lignes: tuple) -> tuple:
    """(décimales minimales de l'échelle, fonction k → entrées du noyau des deux lignes, gardées par échelle)."""
    autres = [f.pourcentage for f in lignes if f is not None]
    # Un forfait en euros se convertit en % de la BRSS au centième de point (R.871-2, double limite) : 2 décimales.
    forfait = any(f is not None and f.forfait for f in lignes)
    kmin = max([0, *(-x.as_tuple().exponent for x in autres), 2 if forfait else 0])
    par_echelle: dict = {}

    def entrees(k: int) -> dict:
        e = par_echelle.get(k)
        if e is None:
            e = par_echelle[k] = {**entrees_formule(lignes[0], "dptam", k), **entrees_formule(lignes[1], "hors", k)}
        return e

    return kmin, entrees


_SANS_GARANTIE = _lignes_lues((None, None))
_GARANTIES: dict = {}


def _garantie_lue(garantie: Garantie) -> tuple:
    """:func:`_lignes_lues` pour une garantie, gardé par objet (identité, pas égalité : deux garanties égales
    peuvent différer par l'écriture d'un nombre, « 150 » et « 150,0 », qui change l'échelle)."""
    lu = _GARANTIES.get(id(garantie))
    if lu is None or lu[0] is not garantie:
        if len(_GARANTIES) > 1_000:
            _GARANTIES.clear()
        lu = _GARANTIES[id(garantie)] = (garantie, _lignes_lues((garantie.formule_dptam, garantie.formule_hors_dptam)))
    return lu[1]



def entrees_formule(f, cle: str, k: int) -> dict:
    """Les entrées du noyau pour une ligne de garantie (``cle`` : ``"dptam"`` ou ``"hors"``), pourcentages à
    l'échelle 10ᵏ : ``niv_``, ``fr_``, ``pfr_``, ``tm_``, ``plus_``, ``forfait_`` (centimes), ``plan_`` (centimes,
    −1 : aucun)."""
    if f is None:
        return {f"niv_{cle}": 0, f"fr_{cle}": False, f"pfr_{cle}": 100 * 10**k, f"tm_{cle}": False, f"plus_{cle}": False,
                f"forfait_{cle}": 0, f"plan_{cle}": -1}
    fr = f.sur == "FR"
    return {
        f"niv_{cle}": 0 if fr else int(f.pourcentage.scaleb(k)), f"fr_{cle}": fr,
        f"pfr_{cle}": int(f.pourcentage.scaleb(k)) if fr else 100 * 10**k, f"tm_{cle}": f.sur == "TM",
        f"plus_{cle}": f.sur == "BR" and not f.ro_inclus, f"forfait_{cle}": _centimes(f.forfait),
        f"plan_{cle}": -1 if f.plafond_annuel is None else _centimes(f.plafond_annuel),
    }


def equivalent_br(formule, base: Decimal | None = None, taux: Decimal | None = None, k: int = 2) -> Decimal | str:
    """Une ligne de garantie (:class:`~reimb.formules.Formule`) en « % de la BRSS, Sécu comprise », pour comparer
    des niveaux (double limite de R.871-2) : la règle du noyau (:func:`reimb.regles.noyau.equivalent_br`), à
    l'échelle des pourcentages du décompte — ``k`` décimales au moins (celles d'un décompte du jour :
    :func:`echelle_du_jour` ; par défaut 2, le centième de point), celles du taux et du pourcentage.

    ``base`` : la BRSS en euros (pour convertir un forfait) ; ``taux`` : le taux Sécu du parcours, en % (« RO + X % »,
    « X % TM »). « X % FR » et « frais réels » : ``"frais réels"``.

    >>> from reimb.formules import lire_formule
    >>> equivalent_br(lire_formule("RO + 100 % BR"), taux=Decimal(70))        # 70 + 100
    Decimal('170')
    >>> equivalent_br(lire_formule("100 % BR + 6 €"), Decimal(30), Decimal(70))  # 100 + 6 / 30 = 100 + 20
    Decimal('120')
    >>> equivalent_br(lire_formule("100 % BR + 20 €"), Decimal(23))  # 100 + 20 / 23 = 186,956… → 186,96 (centième de point)
    Decimal('186.96')
    >>> equivalent_br(lire_formule("85 % TM"), taux=Decimal(70))     # 70 + 85 % × 30 = 95,5
    Decimal('95.5')
    >>> equivalent_br(lire_formule("85 % TM"), taux=Decimal(70), k=0)  # au point près (arrondi demi vers le haut) : 96
    Decimal('96')
    """
    if formule.sur == "FR":
        return FRAIS_REELS
    if taux is None:
        taux = ZERO
    k = max(k, _lignes_lues((formule, None))[0], -taux.as_tuple().exponent)
    e = entrees_formule(formule, "dptam", k)
    brss = 0 if base is None else _centimes(base)
    if e["forfait_dptam"] and not brss:
        raise ErreurSaisie("base", f"« {formule.texte or formule} » : un forfait en euros ne se convertit en % "
                           "qu'avec la base de l'acte", "une BRSS strictement positive, en euros")
    x = noyau.equivalent_br(SCALAIRE, e["niv_dptam"], e["tm_dptam"], e["plus_dptam"], e["forfait_dptam"], brss,
                            int(taux.scaleb(k)), 100 * 10**k)
    d = Decimal(x).scaleb(-k)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def echelle_du_jour(jour: Date) -> int:
    """Les décimales des pourcentages d'un décompte ce jour-là (taux Sécu, plafonds du contrat responsable), pour
    une consultation dans le parcours chez un médecin non adhérent : l'échelle à laquelle le noyau compare les
    niveaux (:func:`equivalent_br`)."""
    return _parametres_du_jour(jour, False, False, True, scenario_courant())[2]


@lru_cache(maxsize=1024)
def _plafond(frais_reels: bool, eq_dptam: int, k: int, date: Date, scenario):
    """Le plafond du contrat responsable et sa règle (:func:`reimb.responsable.plafond_hors_dptam_detail`), gardé
    en mémoire : une fonction pure du niveau des adhérents, de la date et du scénario (dans la clé)."""
    eq = FRAIS_REELS if frais_reels else Decimal(eq_dptam).scaleb(-k)
    return plafond_hors_dptam_detail(eq, date)


def _resultat(v, c, date, medecin, patient, garantie, k) -> Decompte:
    taux = Decimal(v["taux"]).scaleb(-k) if k else Decimal(v["taux"])
    if c.taux_saisi is not None:
        taux = c.taux_saisi
    elif c.valeurs.get("taux") is not None:
        taux = c.valeurs["taux"].valeur
    if v["plafonne"]:
        c.plafond = _plafond(v["fr_dptam"], v["eq_dptam"], k, date, scenario_courant())
        c.niveau_applique = c.plafond.niveau
    return Decompte(
        date=date, honoraires=eur(v["honoraires"]), brss=eur(v["brss"]), taux=taux, amo_brut=eur(v["amo_brut"]),
        participation_forfaitaire=eur(v["participation_forfaitaire"]),
        participation_forfaitaire_reportee=eur(v["participation_forfaitaire_reportee"]), amo=eur(v["amo"]),
        ticket_moderateur=eur(v["ticket_moderateur"]), depassement=eur(v["depassement"]), amc=eur(v["amc"]),
        reste_a_charge=eur(v["reste_a_charge"]), _trace=(v, c), medecin=medecin, patient=patient,
        garantie=garantie, parcours=v["pe"], niveau_applique=c.niveau_applique if v["garantie"] else None,
        plafond_responsable_applique=bool(v["plafonne"]),
    )
