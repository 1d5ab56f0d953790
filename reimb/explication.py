"""L'explication d'un décompte : les étapes, construites à partir des valeurs du noyau.

Le calcul est fait par le noyau (:mod:`reimb.regles.noyau`) ; ce module ne calcule rien : il lit les
valeurs intermédiaires (centimes entiers) et les met en phrases, dans l'ordre de la loi, comme le
« traceur » d'OpenFisca. Une étape qui énonce une opération la porte aussi comme donnée
(:class:`Calcul` : l'opération et ses opérandes) : :func:`recalculer` la refait, et un test de
propriétés vérifie sur des milliers de décomptes que chaque étape « tombe juste ».

Une étape qui a utilisé une valeur changée par un :class:`~reimb.Scenario` le dit
(« scénario « PF à 4 € » : 4,00 € au lieu de 2,00 € »).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from .montants import CENT, ZERO, arrondi, euros, montant_court, taux_court
from .parametres import Valeur
from .tarifs import CATEGORIES

PARCOURS = "CSS art. L.162-5-3 (parcours de soins coordonnés)"


@dataclass(frozen=True, slots=True)
class Calcul:
    """L'opération qu'énonce une étape, et ses opérandes (des ``Decimal``).

    Opérations : ``"somme"`` (a + b + …), ``"difference"`` (a − b − …), ``"difference_positive"``
    (a − b − …, jamais négatif), ``"minimum"``, ``"pourcentage"`` (a × b %, arrondi au centime),
    ``"euro_superieur"`` (a majoré de b %, arrondi à l'euro supérieur), ``"plafonne"``
    (min(a, b − c), jamais négatif : ce qui reste sous un plafond b quand c est déjà compté).
    """

    operation: str
    operandes: tuple[Decimal, ...]


_OPERATIONS = {
    "somme": lambda o: sum(o, ZERO),
    "difference": lambda o: o[0] - sum(o[1:], ZERO),
    "difference_positive": lambda o: max(ZERO, o[0] - sum(o[1:], ZERO)),
    "minimum": min,
    "pourcentage": lambda o: arrondi(o[0] * o[1] / CENT),
    "euro_superieur": lambda o: Decimal(math.ceil(o[0] * (CENT + o[1]) / CENT)),
    "plafonne": lambda o: min(o[0], max(ZERO, o[1] - o[2])),
}


def recalculer(calcul: Calcul) -> Decimal:
    """Refait l'opération d'une étape à partir de ses opérandes.

    >>> recalculer(Calcul("pourcentage", (Decimal("23"), Decimal("70"))))
    Decimal('16.10')
    """
    return _OPERATIONS[calcul.operation](calcul.operandes)


@dataclass(frozen=True, slots=True)
class Etape:
    """Une étape du décompte : ce qui est calculé, le montant, la règle appliquée et sa source.

    ``code`` : un nom stable de l'étape (pour un programme, le libellé pouvant changer) ;
    ``calcul`` : l'opération énoncée, avec ses opérandes, ou None.
    """

    libelle: str
    montant: Decimal | None
    regle: str
    source: str
    code: str = ""
    calcul: Calcul | None = None


_EUR: dict = {}
_TEXTES: dict = {}


def eur(c) -> Decimal:
    """Des centimes entiers en ``Decimal`` au centime (gardés en mémoire : les mêmes montants reviennent)."""
    d = _EUR.get(c)
    if d is None:
        if len(_EUR) > 100_000:
            _EUR.clear()
        d = _EUR[c] = Decimal(int(c)).scaleb(-2)
    return d


def _e(d: Decimal) -> str:
    """Un montant dans le texte d'une étape (« 33 € », « 31,50 € »), sans Babel."""
    t = _TEXTES.get(d)
    if t is None:
        if len(_TEXTES) > 100_000:
            _TEXTES.clear()
        t = _TEXTES[d] = montant_court(d) + "\u00a0€"
    return t


def note_scenario(v: Valeur | None) -> str:
    """« — scénario « PF à 4 € » : 4,00 € au lieu de 2,00 € » si la valeur vient d'un scénario."""
    if v is None or v.scenario is None:
        return ""

    def lu(x):
        if x is None:
            return "aucun"
        if v.unite == "EUR":
            return euros(x)
        if v.unite.startswith("%"):
            return f"{taux_court(x)}\u00a0%"
        return f"{taux_court(x)} {v.unite}".rstrip()

    return f" — scénario « {v.scenario} » : {lu(v.valeur)} au lieu de {lu(v.valeur_loi)}"


def _src(v: Valeur | None, defaut: str) -> str:
    return defaut if v is None else v.reference


@dataclass(slots=True)
class Contexte:
    """Ce que l'explication lit en plus des valeurs du noyau : la saisie et les paramètres du jour."""

    medecin: object
    patient: object
    garantie: object
    valeurs: dict  # nom court → Valeur du paramètre utilisé
    base: object = None  # reimb.tarifs.Base, ou None si la base est saisie
    reference_da: str = ""
    dispositif: tuple | None = None
    taux_saisi: Decimal | None = None
    niveau: object = None  # le niveau de la ligne (Decimal ou « frais réels »)
    niveau_applique: object = None
    plafond: object = None  # reimb.responsable.Plafond quand il joue
    formule: object = None  # la formulation de la ligne (reimb.formules.Formule)


def etapes(v: dict, c: Contexte) -> tuple[Etape, ...]:
    """Les étapes d'un décompte à partir des valeurs du noyau ``v`` (une consultation, entiers Python)."""
    sortie: list[Etape] = []
    _saisie(sortie, v, c)
    _base(sortie, v, c)
    _securite_sociale(sortie, v, c)
    _participation(sortie, v, c)
    _complementaire(sortie, v, c)
    h, amo, amc = eur(v["honoraires"]), eur(v["amo"]), eur(v["amc"])
    sortie.append(
        Etape(
            "Reste à charge du patient",
            eur(v["reste_a_charge"]),
            f"honoraires − Sécu − complémentaire : {_e(h)} − {_e(amo)} − {_e(amc)}",
            "Identité comptable du décompte",
            "reste_a_charge",
            Calcul("difference", (h, amo, amc)),
        )
    )
    return tuple(sortie)


def _saisie(sortie, v, c):
    sortie.append(Etape("Honoraires facturés", eur(v["honoraires"]), c.medecin.libelle, "Saisie", "honoraires"))
    if c.dispositif:
        sortie.append(Etape(f"Médecin adhérent : {c.medecin.dptam}", None, *c.dispositif, "dptam"))
    age_min = c.valeurs.get("age_hors_parcours")
    if age_min is not None:
        sortie.append(
            Etape(
                "Parcours de soins",
                None,
                f"patient de moins de {age_min.valeur} ans : pas de majoration hors parcours" + note_scenario(age_min),
                age_min.reference,
                "parcours",
            )
        )
    acces_direct = c.valeurs.get("acces_direct")
    if acces_direct is not None:
        sortie.append(
            Etape(
                "Parcours de soins",
                None,
                "spécialiste en accès direct : consulté sans passer par le "
                "médecin traitant, sans majoration hors parcours",
                acces_direct,
                "parcours",
            )
        )


def _base(sortie, v, c):
    brss = eur(v["brss"])
    b = c.base
    if b is None:
        sortie.append(Etape("Base de remboursement (BRSS)", brss, "base donnée par l'utilisateur", "Saisie", "brss"))
    else:
        regle = f"{b.detail} ({CATEGORIES.get(b.categorie, b.categorie)})"
        # Les réserves de la table (a_verifier) sont pour le formateur (docs/formateur), pas dans l'étape du stagiaire.
        parts = tuple(m for _, m in b.composition)
        calcul = Calcul("somme", parts) if len(parts) > 1 and sum(parts) == brss else None
        sortie.append(Etape("Base de remboursement (BRSS)", brss, regle, b.reference, "brss", calcul))
    dep = eur(v["depassement"])
    h = eur(v["honoraires"])
    if not v["pe"] and not c.medecin.peut_depasser and v["depassement"]:
        da = c.valeurs["da"]
        sortie.append(
            Etape(
                "Dépassement autorisé (DA) hors parcours",
                dep,
                f"honoraires − BRSS ; montant facturé au plus {taux_court(da.valeur)} % au-dessus du tarif du parcours, "
                f"arrondi à l'euro supérieur : {_e(eur(v['da_maximum']))} ({c.reference_da})" + note_scenario(da),
                da.reference,
                "depassement",
                Calcul("difference", (h, brss)),
            )
        )
    elif v["depassement"]:
        sortie.append(
            Etape(
                "Dépassement d'honoraires",
                dep,
                f"honoraires − BRSS : {_e(h)} − {_e(brss)}, jamais remboursé par la Sécurité sociale",
                "CSS art. L.162-5 ; convention médicale",
                "depassement",
                Calcul("difference", (h, brss)),
            )
        )


def _securite_sociale(sortie, v, c):
    taux = c.valeurs.get("taux")
    t = Decimal(int(v["taux"])) * 100 / int(v["cent"])
    if c.taux_saisi is not None:
        sortie.append(
            Etape(
                "Taux de remboursement Sécu",
                None,
                f"{taux_court(t)} % de la BRSS (taux donné par l'utilisateur)",
                "Saisie",
                "taux",
            )
        )
    elif not v["pe"]:
        normal = c.valeurs["taux_normal"]
        regle = (
            f"{taux_court(t)} % de la BRSS : ticket modérateur majoré de "
            f"{taux_court(normal.valeur - t)} points" + note_scenario(taux) + note_scenario(normal)
        )
        reference = taux.reference
        if c.patient.ald or c.patient.maternite:
            # L'exonération ALD vaut pour les soins du protocole, dans le parcours (previssima.fr,
            # « Quel parcours de soins en maladies chroniques (ALD) ? ») ; pour la maternité hors
            # parcours, le projet applique la même règle, faute de source contraire (à vérifier).
            regle += " — l'exonération (ALD, maternité) suppose le parcours de soins"
            reference += " ; previssima.fr (ALD : 100 % dans le parcours)"
        sortie.append(Etape("Taux de remboursement Sécu hors parcours", None, regle, reference, "taux"))
    elif v["exonere"]:
        motif = "affection de longue durée" if c.patient.ald else "assurance maternité"
        sortie.append(
            Etape(
                f"Taux de remboursement Sécu ({motif})",
                None,
                f"{taux_court(t)} % de la BRSS : exonération du ticket modérateur" + note_scenario(taux),
                taux.reference,
                "taux",
            )
        )
    else:
        sortie.append(
            Etape(
                "Taux de remboursement Sécu",
                None,
                f"{taux_court(t)} % de la BRSS dans le parcours de soins" + note_scenario(taux),
                taux.reference,
                "taux",
            )
        )
    brss, amo_brut = eur(v["brss"]), eur(v["amo_brut"])
    sortie.append(
        Etape(
            "Remboursement Sécu avant participation forfaitaire",
            amo_brut,
            f"{taux_court(t)} % × BRSS ({_e(brss)}), arrondi au centime",
            "Arrondi au centime le plus proche : aucune règle officielle n'est publiée ; les exemples d'ameli et de "
            "service-public tombent juste au centime",
            "amo_brut",
            Calcul("pourcentage", (brss, t)),
        )
    )
    majoration = eur(v["majoration"])
    texte = f"BRSS − remboursement Sécu : {_e(brss)} − {_e(amo_brut)}"
    if majoration:
        ecart = Decimal(int(v["taux_ref"]) - int(v["taux"])) * 100 / int(v["cent"])
        texte += f", dont majoration hors parcours {taux_court(ecart)} points ({_e(majoration)})"
    sortie.append(
        Etape(
            "Ticket modérateur",
            eur(v["ticket_moderateur"]),
            texte,
            PARCOURS if majoration else "CSS art. L.160-13 I",
            "ticket_moderateur",
            Calcul("difference", (brss, amo_brut)),
        )
    )


def _participation(sortie, v, c):
    pf_param, age_pf = c.valeurs["pf"], c.valeurs["age_pf"]
    if v["pf_exoneree"]:
        p = c.patient
        motif = (
            f"moins de {age_pf.valeur} ans"
            if p.age < age_pf.valeur
            else ("bénéficiaire de la CSS" if p.css else "assurance maternité")
        )
        sortie.append(
            Etape(
                "Participation forfaitaire",
                ZERO,
                f"exonération : {motif}" + note_scenario(age_pf),
                age_pf.reference,
                "participation_forfaitaire",
            )
        )
    else:
        pf_due, pf_jour, pf = eur(v["pf_due"]), eur(v["pf_jour"]), eur(v["participation_forfaitaire"])
        sortie.append(
            Etape(
                "Participation forfaitaire",
                pf_due,
                "montant par consultation, retenu sur le remboursement Sécu" + note_scenario(pf_param),
                pf_param.reference,
                "participation_forfaitaire_due",
            )
        )
        if pf_jour != pf_due:
            plaf, deja = c.valeurs["pf_jour"], eur(v["pf_deja_jour"])
            sortie.append(
                Etape(
                    "Plafond journalier de la participation forfaitaire",
                    pf_jour,
                    f"au plus {_e(plaf.valeur)} par jour chez un même professionnel, {_e(deja)} déjà comptés ce jour-là"
                    + note_scenario(plaf),
                    plaf.reference,
                    "pf_plafond_jour",
                    Calcul("plafonne", (pf_due, plaf.valeur, deja)),
                )
            )
        if pf != pf_jour:
            plaf, deja = c.valeurs["pf_annee"], eur(v["pf_deja_annee"])
            sortie.append(
                Etape(
                    "Plafond annuel de la participation forfaitaire",
                    pf,
                    f"au plus {_e(plaf.valeur)} par personne et par année civile, {_e(deja)} déjà comptés cette année"
                    + note_scenario(plaf),
                    plaf.reference,
                    "pf_plafond_annee",
                    Calcul("plafonne", (pf_jour, plaf.valeur, deja)),
                )
            )
    pf, amo_brut = eur(v["participation_forfaitaire"]), eur(v["amo_brut"])
    if v["participation_forfaitaire_reportee"]:
        sortie.append(
            Etape(
                "Participation forfaitaire reportée",
                eur(v["participation_forfaitaire_reportee"]),
                f"participation − remboursement Sécu ({_e(pf)} − {_e(amo_brut)}) : le remboursement Sécu ne suffit pas, le reliquat "
                "sera retenu sur un remboursement ultérieur (il n'est pas compté dans le reste à charge de cette consultation ; "
                "cas rare que les textes ne règlent pas expressément)",
                "Comme pour le tiers payant : décret n° 2004-1453, art. D.322-3 CSS",
                "participation_forfaitaire_reportee",
                Calcul("difference_positive", (pf, amo_brut)),
            )
        )
    sortie.append(
        Etape(
            "Remboursement Sécu (AMO)",
            eur(v["amo"]),
            f"remboursement avant participation − participation forfaitaire retenue : {_e(amo_brut)} − {_e(pf)}, jamais négatif",
            pf_param.reference,
            "amo",
            Calcul("difference_positive", (amo_brut, pf)),
        )
    )


def _complementaire(sortie, v, c):
    g = c.garantie
    if c.patient.css:
        brss, amo_brut = eur(v["brss"]), eur(v["amo_brut"])
        sortie.append(
            Etape(
                "Complémentaire santé solidaire (CSS)",
                eur(v["amc"]),
                f"la CSS tient lieu de complémentaire : elle paie le ticket modérateur ({_e(brss)} − {_e(amo_brut)})"
                + (" ; la garantie saisie n'intervient pas" if g else ""),
                "CSS art. L.861-3 ; complementaire-sante-solidaire.gouv.fr",
                "amc",
                Calcul("difference", (brss, amo_brut)),
            )
        )
        return
    if g is None:
        sortie.append(Etape("Complémentaire (AMC)", ZERO, "pas de complémentaire", "Saisie", "amc"))
        return
    _garanti(sortie, v, c)
    couvert, amo_brut, maj = eur(v["couvert"]), eur(v["amo_brut"]), eur(v["majoration_exclue"])
    if v["exclusions"]:
        texte = (
            f"montant couvert − remboursement Sécu avant participation − majoration exclue : "
            f"{_e(couvert)} − {_e(amo_brut)} − {_e(maj)} (jamais négatif)"
        )
        operandes = (couvert, amo_brut, maj)
    else:
        texte = f"montant couvert − remboursement Sécu avant participation : {_e(couvert)} − {_e(amo_brut)} (jamais négatif)"
        operandes = (couvert, amo_brut)
    plafond_an = bool(v.get("plafond_annuel_actif"))
    sortie.append(
        Etape(
            "Remboursement complémentaire avant plafond annuel" if plafond_an else "Remboursement complémentaire (AMC)",
            eur(v["amc_avant_plafond_annuel"] if plafond_an else v["amc"]),
            texte,
            "Formule des tableaux de garanties en « % de la BRSS, Sécurité sociale comprise » (exemples de service-public et d'ameli)",
            "amc_avant_plafond_annuel" if plafond_an else "amc",
            Calcul("difference_positive", operandes),
        )
    )
    if plafond_an:
        avant, plafond, deja = eur(v["amc_avant_plafond_annuel"]), eur(v["f_plan"]), eur(v["deja_an"])
        sortie.append(
            Etape(
                "Remboursement complémentaire (AMC)",
                eur(v["amc"]),
                f"plafond annuel de la ligne, {_e(plafond)} par an, dont {_e(deja)} déjà versés cette année : "
                f"au plus {_e(plafond)} − {_e(deja)} ; le plus petit de {_e(avant)} et de ce reste",
                "Tableau de garanties (« dans la limite de … par an »)",
                "amc",
                Calcul("plafonne", (avant, plafond, deja)),
            )
        )
    if g.responsable and v["participation_forfaitaire"]:
        sortie.append(
            Etape(
                "Participation forfaitaire non remboursée",
                eur(v["participation_forfaitaire"]),
                "un contrat responsable ne rembourse pas la participation forfaitaire",
                "CSS art. L.871-1 et R.871-1",
                "pf_non_remboursee",
            )
        )


def _niveau_texte(niv) -> str:
    from .modele import FRAIS_REELS

    if niv == FRAIS_REELS:
        return FRAIS_REELS
    if isinstance(niv, Decimal):
        return taux_court(niv) + " %"
    return f"« {niv} »"


def _garanti(sortie, v, c):
    brss, h = eur(v["brss"]), eur(v["honoraires"])
    ligne = "médecins adhérents DPTAM / secteur 1" if c.medecin.ligne_dptam else "médecins non adhérents DPTAM"
    simple = bool(v["f_simple"])
    if v["plafonne"]:
        p = c.plafond
        sortie.append(
            Etape(
                "Plafond du contrat responsable",
                arrondi(brss * p.niveau / CENT),
                (
                    f"niveau {_niveau_texte(c.niveau)} ramené à {taux_court(p.niveau)} % de la BRSS — "
                    if simple
                    else f"total de la ligne {_niveau_texte(c.niveau)} limité à {taux_court(p.niveau)} % de la BRSS, "
                    f"Sécu comprise, forfaits compris — "
                )
                + f"{p.regle_courte} ; un contrat qui annonce davantage n'est pas conforme à R.871-2 (voir le contrôle de conformité)"
                + note_scenario(c.valeurs.get("dep_max"))
                + note_scenario(c.valeurs.get("ecart")),
                p.reference,
                "plafond_responsable",
                Calcul("pourcentage", (brss, p.niveau)),
            )
        )
    garanti = eur(v["garanti"])
    if not simple:
        _formule(sortie, v, c, ligne)
    elif v["frais_reels"]:
        sortie.append(
            Etape(
                "Montant garanti (Sécu + complémentaire)",
                garanti,
                f"garantie « frais réels » ({ligne}) : les honoraires",
                "Tableau de garanties",
                "garanti",
                Calcul("minimum", (h,)),
            )
        )
    else:
        n = c.niveau_applique
        sortie.append(
            Etape(
                "Montant garanti (Sécu + complémentaire)",
                garanti,
                f"garantie {taux_court(n)} % de la BRSS ({_e(brss)}), Sécu comprise ({ligne})",
                "Tableau de garanties",
                "garanti",
                Calcul("pourcentage", (brss, n)),
            )
        )
    if v["garanti"] > v["honoraires"]:
        garanti = eur(v["garanti"])
        sortie.append(
            Etape(
                "Principe indemnitaire",
                h,
                "le remboursement total ne peut dépasser la dépense : la garantie est limitée aux honoraires",
                "Code de la mutualité, art. L.224-8 ; loi n° 89-1009 du 31 décembre 1989 (loi Évin), art. 9",
                "principe_indemnitaire",
                Calcul("minimum", (garanti, h)),
            )
        )
    if v["exclusions"]:
        maj, da = eur(v["majoration_exclue"]), eur(v["da_exclu"])
        sortie.append(
            Etape(
                "Exclusions du contrat responsable hors parcours",
                maj + da,
                f"ni la majoration du ticket modérateur hors parcours ({_e(maj)}), "
                + (
                    f"ni le dépassement jusqu'au montant du dépassement autorisé (DA) : {_e(da)} ; total {_e(maj + da)}"
                    if v["da_max"]
                    else "ni le dépassement jusqu'au montant du dépassement autorisé (DA) — pas de DA pour ce médecin "
                    "(réservé aux spécialistes conventionnés) : seule la majoration est exclue"
                ),
                "CSS art. R.871-1 (exclusions) et L.162-5-3",
                "exclusions",
                Calcul("somme", (maj, da)),
            )
        )
        if v["da_exclu"]:
            couvert_i = eur(v["couvert_indemnitaire"])
            sortie.append(
                Etape(
                    "Montant couvert hors parcours",
                    eur(v["couvert"]),
                    f"le plus petit du montant garanti ({_e(couvert_i)}) et des honoraires moins le DA exclu ({_e(h)} − {_e(da)})",
                    "CSS art. R.871-1",
                    "couvert",
                    Calcul("minimum", (couvert_i, h - da)),
                )
            )


def _formule(sortie, v, c, ligne):
    """Les étapes d'une ligne écrite autrement que « X % BR » Sécu comprise : la part que la formulation
    donne, le forfait, puis le montant garanti (Sécu + complémentaire)."""
    f = c.formule
    brss, h, cent = eur(v["brss"]), eur(v["honoraires"]), v["cent"]
    pct = Decimal(v["f_pfr"] if v["f_fr"] else v["f_niv"]) * CENT / cent
    amo_ref, part, forfait = eur(v["amo_reference"]), eur(v["part_formule"]), eur(v["f_forfait"])
    texte_f = f"« {f.texte} »" if f.texte else f.libelle
    p = taux_court(pct)
    if v["f_fr"]:
        sortie.append(
            Etape(
                "Part des frais réels garantie",
                part,
                f"{texte_f} ({ligne}) : {p} % des honoraires, Sécu comprise : {p} % × {_e(h)} = {_e(part)}",
                "Tableau de garanties",
                "part_formule",
                Calcul("pourcentage", (h, pct)),
            )
        )
        operandes = (part, forfait)
    elif v["f_tm"]:
        ticket = brss - amo_ref
        pm = part - amo_ref
        sortie.append(
            Etape(
                "Ticket modérateur garanti",
                pm,
                f"{texte_f} ({ligne}) : {p} % du ticket modérateur, BRSS moins la part Sécu du parcours : "
                f"{p} % × ({_e(brss)} − {_e(amo_ref)}) = {_e(pm)}",
                "Tableau de garanties",
                "part_formule",
                Calcul("pourcentage", (ticket, pct)),
            )
        )
        operandes = (amo_ref, pm, forfait)
    elif v["f_plus"]:
        pm = part - amo_ref
        sortie.append(
            Etape(
                "Part de la complémentaire selon le tableau",
                pm,
                f"{texte_f} ({ligne}) : {p} % BR en plus du remboursement de la Sécurité sociale : "
                f"{p} % × {_e(brss)} = {_e(pm)}, dans la limite de la dépense",
                "Tableau de garanties",
                "part_formule",
                Calcul("pourcentage", (brss, pct)),
            )
        )
        operandes = (amo_ref, pm, forfait)
    else:
        pbr = arrondi(brss * pct / CENT)
        sortie.append(
            Etape(
                "Montant garanti en % de la BRSS",
                pbr,
                f"{texte_f} ({ligne}) : {p} % de la BRSS, Sécu comprise : {p} % × {_e(brss)} = {_e(pbr)}"
                + (f" ; au moins la part Sécu ({_e(amo_ref)}), le forfait venant en plus" if part > pbr else ""),
                "Tableau de garanties",
                "part_formule",
                Calcul("pourcentage", (brss, pct)),
            )
        )
        operandes = (part, forfait)
    if v["f_forfait"]:
        sortie.append(
            Etape(
                "Forfait par acte",
                forfait,
                f"forfait de {_e(forfait)} par consultation, versé en plus ({texte_f})",
                "Tableau de garanties",
                "forfait",
            )
        )
    formule = eur(v["garanti_formule"])
    if v["plafonne"] and v["garanti"] < v["garanti_formule"]:
        sortie.append(
            Etape(
                "Montant garanti (Sécu + complémentaire)",
                eur(v["garanti"]),
                f"le plus petit du total de la formulation ({' + '.join(_e(x) for x in operandes if x)} = {_e(formule)}) "
                f"et du plafond du contrat responsable",
                "CSS art. R.871-2",
                "garanti",
                Calcul("minimum", (formule, arrondi(brss * c.plafond.niveau / CENT))),
            )
        )
    else:
        sortie.append(
            Etape(
                "Montant garanti (Sécu + complémentaire)",
                eur(v["garanti"]),
                f"{' + '.join(_e(x) for x in operandes if x) or _e(ZERO)} ({ligne})",
                "Tableau de garanties",
                "garanti",
                Calcul("somme", tuple(x for x in operandes if x) or (ZERO,)),
            )
        )
