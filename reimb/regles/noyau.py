"""Le noyau : les règles d'un décompte, chacune écrite une fois, dans l'ordre de la loi.

Chaque règle est une petite fonction pure ``regle(xp, v) -> dict`` : elle lit des valeurs déjà
connues dans ``v`` (entrées et résultats des règles précédentes) et rend ses propres résultats. Elle
est écrite contre un espace de calcul ``xp`` (:mod:`reimb.regles.xp`) : entiers Python pour une
consultation (:func:`reimb.decompte`), tableaux numpy pour une table (:func:`reimb.decompte_lot`).
Les montants sont des **centimes entiers** ; les pourcentages des entiers à l'échelle ``cent`` (100 %
vaut ``cent`` : 100, ou 1 000 quand un taux a une décimale, comme 17,5 %).

Chaque règle porte son article (``article``) et les paramètres datés qu'elle lit (``parametres``) : la
source d'une étape d'explication est la référence du paramètre dans ``reimb/parametres/*.toml``.

Entrées (``v``), lues par les frontaux :

- montants : ``honoraires``, ``brss`` (la base, résolue par :func:`reimb.tarifs.brss` ou saisie),
  ``tarif_parcours`` (le tarif du parcours auquel se mesure le DA) ;
- médecin : ``conventionne``, ``peut_depasser``, ``generaliste``, ``ligne_dptam`` (booléens) ;
- patient : ``pe`` (parcours effectif), ``age``, ``css``, ``ald``, ``maternite`` ;
- participation déjà comptée : ``pf_deja_jour`` (même jour, même professionnel), ``pf_deja_annee``
  (même année civile) ;
- garantie : ``garantie``, ``responsable`` ; pour chaque ligne (``_dptam``, ``_hors``), la formulation lue
  (:mod:`reimb.formules`) : ``niv_`` (le pourcentage de la BRSS ou du ticket modérateur), ``fr_`` (sur les
  frais réels), et, facultatifs (les formes « X % BR » et « frais réels » s'en passent) : ``pfr_`` (le
  pourcentage des frais réels, ``cent`` par défaut), ``tm_`` (sur le ticket modérateur), ``plus_`` (en plus
  de la Sécurité sociale), ``forfait_`` (centimes par acte), ``plan_`` (plafond annuel en centimes, −1 :
  aucun) ; ``deja_an`` : ce que la ligne a déjà versé à la personne dans l'année civile (centimes, 0) ;
- paramètres du jour : ``cent``, ``da``, ``t_normal``, ``t_hp``, ``t_exo``, ``pf_montant``, ``age_pf``,
  ``pf_plafond_jour``, ``pf_plafond_annee``, ``dep_max``, ``dep_aucun``, ``ecart``, ``ecart_aucun``.
"""

from __future__ import annotations

from .xp import div_arrondi, div_plafond

REGLES: list = []


def regle(article: str, *parametres: str):
    """Déclare une règle du noyau, avec son article et les paramètres datés qu'elle lit."""

    def enregistrer(fonction):
        fonction.article = article
        fonction.parametres = parametres
        REGLES.append(fonction)
        return fonction

    return enregistrer


@regle("CSS art. L.162-5 ; convention médicale")
def depassement(xp, v):
    """Le dépassement : honoraires − BRSS, jamais remboursé par la Sécurité sociale."""
    return {"depassement": v["honoraires"] - v["brss"]}


@regle("Convention médicale, art. 37.1 ; CSS art. L.162-5-3", "depassement_autorise.taux")
def depassement_autorise(xp, v):
    """Hors parcours, un spécialiste conventionné peut facturer au plus le tarif du parcours majoré de
    17,5 %, arrondi à l'euro supérieur : ``da_maximum`` (honoraires), ``da_max`` (le dépassement)."""
    cent = v["cent"]
    maximum = 100 * div_plafond(v["tarif_parcours"] * (cent + v["da"]), cent * 100)
    possible = xp.et(xp.non(v["pe"]), v["conventionne"], xp.non(v["generaliste"]))
    return {"da_maximum": maximum, "da_max": xp.where(possible, xp.maximum(maximum - v["brss"], 0), 0)}


@regle(
    "CSS art. L.160-13 I et L.162-5-3 ; L.160-14 (exonérations)",
    "taux_amo.consultation",
    "taux_amo.hors_parcours",
    "taux_amo.exoneration",
)
def taux_amo(xp, v):
    """Le taux : hors parcours (majoré), exonéré (ALD, maternité, dans le parcours) ou normal."""
    exonere = xp.et(v["pe"], xp.ou(v["ald"], v["maternite"]))
    reference = xp.where(exonere, v["t_exo"], v["t_normal"])
    return {"exonere": exonere, "taux_ref": reference, "taux": xp.where(v["pe"], reference, v["t_hp"])}


@regle("CSS art. L.160-13 I ; arrondi au centime du projet")
def remboursement_brut(xp, v):
    """Sécu avant participation = taux × BRSS, arrondi ; ticket modérateur ; majoration hors parcours."""
    brss, cent = v["brss"], v["cent"]
    amo_brut = div_arrondi(brss * v["taux"], cent)
    ecart = xp.maximum(v["taux_ref"] - v["taux"], 0)
    return {"amo_brut": amo_brut, "ticket_moderateur": brss - amo_brut, "majoration": div_arrondi(brss * ecart, cent)}


@regle("CSS art. L.160-13 II", "participation_forfaitaire.montant", "participation_forfaitaire.age_exoneration")
def participation_due(xp, v):
    """La participation forfaitaire ; exonérés : moins de 18 ans, CSS, maternité."""
    exonere = xp.ou(v["age"] < v["age_pf"], v["css"], v["maternite"])
    return {"pf_exoneree": exonere, "pf_due": xp.where(exonere, 0, v["pf_montant"])}


@regle("CSS art. L.160-13 II ; plafond journalier fixé par décret", "participation_forfaitaire.plafond_journalier")
def plafond_journalier(xp, v):
    """Au plus 4 participations par jour pour un même professionnel : ce qui reste sous le plafond du jour."""
    reste = xp.maximum(v["pf_plafond_jour"] - v["pf_deja_jour"], 0)
    return {"pf_jour": xp.minimum(v["pf_due"], reste)}


@regle("CSS art. L.160-13 II ; décret n° 2004-1453 (plafond annuel)", "participation_forfaitaire.plafond_annuel")
def plafond_annuel(xp, v):
    """Au plus 50 € de participations par personne et par année civile."""
    reste = xp.maximum(v["pf_plafond_annee"] - v["pf_deja_annee"], 0)
    return {"participation_forfaitaire": xp.minimum(v["pf_jour"], reste)}


@regle("CSS art. L.160-13 II ; D.322-3 (par analogie : reliquat reporté)", "participation_forfaitaire.montant")
def participation_retenue(xp, v):
    """La participation est retenue sur le remboursement Sécu, jamais au-delà : le reliquat est reporté."""
    pf = v["participation_forfaitaire"]
    retenue = xp.minimum(pf, v["amo_brut"])
    return {"pf_retenue": retenue, "participation_forfaitaire_reportee": pf - retenue, "amo": v["amo_brut"] - retenue}


def retenue_differee(xp, amo, en_attente):
    """Tiers payant : la participation forfaitaire qui n'a pas pu être retenue le jour de la consultation (le
    patient n'a rien avancé, rien ne lui a été versé) est retenue **sur un remboursement suivant** — ici ``amo``,
    le remboursement Sécu d'une consultation, participation de celle-ci déjà déduite — jamais au-delà : le
    reste attend un remboursement suivant encore.

    ``en_attente`` : les participations en attente (centimes). Rend (retenue maintenant, versé au patient,
    encore en attente), en centimes.
    """
    retenue = xp.minimum(en_attente, amo)
    return retenue, amo - retenue, en_attente - retenue


retenue_differee.article = "CSS art. L.160-13 II et D.322-3 (décret n° 2004-1453) ; service-public.fr A18033"
retenue_differee.parametres = ("participation_forfaitaire.montant",)


def plafond_hors_dptam(xp, niv_dptam, fr_dptam, dep_max, ecart, ecart_aucun, cent):
    """La double limite R.871-2 pour les non-adhérents : (plafond en % de la BRSS, limite qui joue).

    Limite n° 1 : 100 % + le plafond du dépassement ; limite n° 2 : le niveau des adhérents moins
    l'écart minimal, jamais sous le ticket modérateur (100 %). La plus basse l'emporte.
    """
    limite_1 = cent + dep_max
    limite_2 = xp.maximum(cent, niv_dptam - ecart)
    deux = xp.et(xp.non(fr_dptam), xp.non(ecart_aucun), limite_2 < limite_1)
    return xp.where(deux, limite_2, limite_1), xp.where(deux, 2, 1)


def _constante(x, valeur) -> bool:
    """``x`` est la même valeur partout (un scalaire Python, ou 0-d) : le calcul par lot passe ainsi une colonne
    constante (une table sans formulation particulière), et la règle saute le travail inutile."""
    return getattr(x, "ndim", 0) == 0 and x == valeur


def _choisir(xp, condition, a, b):
    if getattr(a, "ndim", 0) == 0 and getattr(b, "ndim", 0) == 0 and a == b:
        return a
    return xp.where(condition, a, b)


def equivalent_br(xp, niv, tm, plus, forfait, brss, t, cent):
    """Une ligne en « % de la BRSS, Sécu comprise » (échelle ``cent``), pour comparer des niveaux (R.871-2) :
    « RO + X % » vaut taux + X ; « X % TM » vaut taux + X % du reste ; un forfait, converti sur la base."""
    if _constante(tm, False) and _constante(plus, False):
        pourcentage = niv
    else:
        pourcentage = xp.where(plus, t + niv, xp.where(tm, t + div_arrondi(niv * (cent - t), cent), niv))
    if _constante(forfait, 0):
        return pourcentage
    return pourcentage + div_arrondi(forfait * cent, xp.maximum(brss, 1))


# (sortie, entrée de la ligne des adhérents, entrée de l'autre ligne, valeur par défaut) ; « cent » : l'échelle
_DEFAUTS_LIGNE = {"niv": None, "fr": None, "pfr": "cent", "tm": False, "plus": False, "forfait": 0, "plan": -1}
_CHAMPS_LIGNE = tuple((f"f_{nom}", f"{nom}_dptam", f"{nom}_hors", d) for nom, d in _DEFAUTS_LIGNE.items())


@regle("Tableau de garanties (formulation de la ligne)", "taux_amo.consultation")
def formule_ligne(xp, v):
    """La ligne du tableau qui vaut pour ce médecin (adhérents ou non), et le niveau des deux lignes en
    « % de la BRSS, Sécu comprise » (au taux Sécu du parcours), pour la double limite."""
    ligne, cent, brss, t = v["ligne_dptam"], v["cent"], v["brss"], v["t_normal"]
    lu = {}
    for _, d, h, defaut in _CHAMPS_LIGNE:
        if defaut == "cent":
            defaut = cent
        lu[d] = v.get(d, defaut)
        lu[h] = v.get(h, defaut)
    if type(ligne) is bool:  # une consultation : la ligne est l'une ou l'autre, sans « where »
        choix = {f: lu[d if ligne else h] for f, d, h, _ in _CHAMPS_LIGNE}
    else:
        choix = {f: _choisir(xp, ligne, lu[d], lu[h]) for f, d, h, _ in _CHAMPS_LIGNE}
    eq_d = equivalent_br(xp, lu["niv_dptam"], lu["tm_dptam"], lu["plus_dptam"], lu["forfait_dptam"], brss, t, cent)
    eq_h = equivalent_br(xp, lu["niv_hors"], lu["tm_hors"], lu["plus_hors"], lu["forfait_hors"], brss, t, cent)
    tm, plus, forfait, pfr = choix["f_tm"], choix["f_plus"], choix["f_forfait"], choix["f_pfr"]
    if _constante(tm, False) and _constante(plus, False) and _constante(forfait, 0) and _constante(pfr, cent):
        simple = True
    else:
        simple = xp.et(xp.non(tm), xp.non(plus), forfait == 0, xp.ou(xp.non(choix["f_fr"]), pfr == cent))
    eq_ligne = choix["f_niv"] if (eq_d is lu["niv_dptam"] and eq_h is lu["niv_hors"]) else xp.where(ligne, eq_d, eq_h)
    choix.update(eq_dptam=eq_d, eq_hors=eq_h, eq_ligne=eq_ligne, f_simple=simple, deja_an=v.get("deja_an", 0))
    return choix


@regle(
    "CSS art. R.871-2 (double limite)",
    "contrat_responsable.plafond_depassement_hors_dptam",
    "contrat_responsable.ecart_minimal_dptam",
)
def plafond_responsable(xp, v):
    """Le plafond du contrat responsable pour un non-adhérent, sur le **total** Sécu + complémentaire de la
    ligne, quelle que soit sa formulation (forfait compris)."""
    plafond, limite = plafond_hors_dptam(
        xp, v["eq_dptam"], v["fr_dptam"], v["dep_max"], v["ecart"], v["ecart_aucun"], v["cent"]
    )
    ligne = v["ligne_dptam"]
    niveau = v["eq_ligne"]
    frais_reels = v["f_fr"]
    a_plafonner = xp.et(v["garantie"], xp.non(v["css"]), v["responsable"], xp.non(ligne), xp.non(v["dep_aucun"]))
    plafonne = xp.et(a_plafonner, xp.ou(frais_reels, niveau > plafond))
    return {
        "plafond": plafond,
        "limite": limite,
        "niveau_ligne": niveau,
        "frais_reels_ligne": frais_reels,
        "plafonne": plafonne,
        "niveau": xp.where(plafonne, plafond, niveau),
        "frais_reels": xp.et(frais_reels, xp.non(plafonne)),
    }


@regle("Tableau de garanties (% de la BRSS, Sécu comprise, ou autre formulation)")
def montant_garanti(xp, v):
    """Sécu + complémentaire garanties par la formulation de la ligne (fiche de faits §8) :

    - « X % BR » (Sécu comprise) : X % × BRSS ; « frais réels » : les honoraires ; « X % FR » : X % des honoraires ;
    - « RO + X % BR » : Sécu (du parcours) + X % × BRSS ; « X % TM » : Sécu + X % × (BRSS − Sécu) ;
    - un forfait par acte s'ajoute ;
    - plafond du contrat responsable : au plus le plafond × BRSS, au total.
    """
    brss, cent, h = v["brss"], v["cent"], v["honoraires"]
    if _constante(v["f_simple"], True):  # « X % BR » et « frais réels » seulement : la formule d'origine
        garanti = xp.where(v["frais_reels"], h, div_arrondi(brss * v["niveau"], cent))
        return {"garanti": garanti}
    amo_ref = v["amo_brut"] + xp.where(xp.et(v["responsable"], xp.non(v["pe"])), v["majoration"], 0)
    niv, forfait = v["f_niv"], v["f_forfait"]
    part_br = div_arrondi(brss * niv, cent)
    formule = (
        xp.where(
            v["f_fr"],
            div_arrondi(h * v["f_pfr"], cent),
            xp.where(
                v["f_tm"],
                amo_ref + div_arrondi(xp.maximum(brss - amo_ref, 0) * niv, cent),
                xp.where(v["f_plus"], amo_ref + part_br, xp.where(forfait > 0, xp.maximum(part_br, amo_ref), part_br)),
            ),
        )
        + forfait
    )
    plafond_total = div_arrondi(brss * v["plafond"], cent)
    garanti = xp.where(
        v["plafonne"], xp.where(v["f_simple"], plafond_total, xp.minimum(formule, plafond_total)), formule
    )
    return {"amo_reference": amo_ref, "part_formule": formule - forfait, "garanti_formule": formule, "garanti": garanti}


@regle("Loi n° 89-1009 (loi Évin), art. 9 : principe indemnitaire")
def principe_indemnitaire(xp, v):
    """Le remboursement total ne dépasse pas la dépense."""
    return {"couvert_indemnitaire": xp.minimum(v["garanti"], v["honoraires"])}


@regle("CSS art. R.871-1 et L.162-5-3", "depassement_autorise.taux")
def exclusions_hors_parcours(xp, v):
    """Hors parcours, un contrat responsable ne couvre ni la majoration, ni le dépassement jusqu'au DA."""
    exclusions = xp.et(v["responsable"], xp.non(v["pe"]))
    da_exclu = xp.where(exclusions, xp.minimum(v["depassement"], v["da_max"]), 0)
    return {
        "exclusions": exclusions,
        "da_exclu": da_exclu,
        "majoration_exclue": xp.where(exclusions, v["majoration"], 0),
        "couvert": xp.minimum(v["couvert_indemnitaire"], v["honoraires"] - da_exclu),
    }


@regle("CSS art. L.871-1 ; L.861-3 (CSS) ; formule des tableaux « % BRSS »")
def remboursement_complementaire(xp, v):
    """AMC = montant couvert − Sécu avant participation − majoration exclue, jamais négatif ; la CSS
    paie le ticket modérateur."""
    amc_garantie = xp.maximum(v["couvert"] - v["amo_brut"] - v["majoration_exclue"], 0)
    return {
        "amc_garantie": amc_garantie,
        "amc": xp.where(v["css"], v["ticket_moderateur"], xp.where(v["garantie"], amc_garantie, 0)),
    }


@regle("Tableau de garanties (plafond annuel de la ligne)")
def plafond_annuel_garantie(xp, v):
    """« … dans la limite de X € par an » : la ligne verse au plus ce qui reste du plafond de la personne pour
    l'année civile (``deja_an`` : ce qu'elle a déjà versé)."""
    if _constante(v["f_plan"], -1):
        return {"amc_avant_plafond_annuel": v["amc"], "plafond_annuel_actif": False}
    actif = xp.et(v["garantie"], xp.non(v["css"]), v["f_plan"] >= 0)
    reste = xp.maximum(v["f_plan"] - v["deja_an"], 0)
    return {
        "amc_avant_plafond_annuel": v["amc"],
        "plafond_annuel_actif": actif,
        "amc": xp.where(actif, xp.minimum(v["amc"], reste), v["amc"]),
    }


@regle("Identité comptable du décompte")
def reste_a_charge(xp, v):
    """Ce qui reste au patient : honoraires − Sécu − complémentaire."""
    return {"reste_a_charge": v["honoraires"] - v["amo"] - v["amc"]}


def calculer(xp, v: dict, regles=None) -> dict:
    """Applique les règles dans l'ordre de la loi ; ``v`` reçoit chaque valeur intermédiaire."""
    for r in REGLES if regles is None else regles:
        v.update(r(xp, v))
    return v


def calculer_jusqu_a(xp, v: dict, derniere) -> dict:
    """Applique les règles jusqu'à ``derniere`` comprise (le lot cumule les participations entre deux)."""
    return calculer(xp, v, REGLES[: REGLES.index(derniere) + 1])


def calculer_apres(xp, v: dict, derniere) -> dict:
    """Applique les règles qui suivent ``derniere``."""
    return calculer(xp, v, REGLES[REGLES.index(derniere) + 1 :])
