"""Le calcul par lot contre le moteur scalaire : mêmes montants au centime, mêmes refus.

Le test de propriétés tire des tables au hasard (tous les secteurs, CAS et OPTAM à leurs dates, les
époques de tarifs et de participation forfaitaire, mineurs, CSS, ALD, maternité, hors parcours,
garanties en % ou « frais réels », responsables ou non, sans complémentaire, BRSS donnée ou lue) et
compare chaque ligne de ``decompte_lot`` au ``reimb.decompte`` de la même ligne. Les lignes que le
moteur refuse doivent être exactement celles que le lot refuse.
"""

import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal as D
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reimb
from reimb import ErreurSaisie, Garantie, Medecin, Patient, decompte
from reimb.lot import COLONNES_MONTANTS, ErreurLot, decompte_lot
from reimb.modele import SPECIALITES
from reimb.tarifs import ACTES

# --- Tirage d'une ligne -----------------------------------------------------------------------------

# Les dates où une règle change, et leurs voisines : c'est là que se cachent les erreurs d'intervalle.
BASCULES = [
    date(2005, 1, 1), date(2009, 1, 31), date(2013, 1, 1), date(2013, 12, 1), date(2015, 4, 1),
    date(2016, 12, 31), date(2017, 1, 1), date(2017, 5, 1), date(2017, 7, 1), date(2018, 4, 1),
    date(2023, 11, 1), date(2024, 5, 15), date(2024, 12, 22), date(2025, 7, 1), date(2026, 12, 31),
]
MEDECINS = [  # (secteur, dptam, droit_permanent, première date, dernière date)
    (1, None, False, date(2013, 1, 1), date(2026, 12, 31)),
    (1, None, True, date(2013, 1, 1), date(2026, 12, 31)),
    (1, "CAS", True, date(2013, 12, 1), date(2016, 12, 31)),
    (1, "OPTAM", True, date(2017, 1, 1), date(2026, 12, 31)),
    (2, None, False, date(2013, 1, 1), date(2026, 12, 31)),
    (2, "CAS", False, date(2013, 12, 1), date(2016, 12, 31)),
    (2, "OPTAM", False, date(2017, 1, 1), date(2026, 12, 31)),
    (2, "OPTAM-CO", False, date(2017, 1, 1), date(2026, 12, 31)),
    (3, None, False, date(2013, 1, 1), date(2026, 12, 31)),
]
NIVEAUX = st.one_of(
    st.sampled_from([100, 120, 125, 150, 180, 200, 250, 300, "frais réels"]),
    st.integers(0, 400),
    st.decimals(min_value=0, max_value=400, places=1),
    st.decimals(min_value=0, max_value=400, places=2),
)


# Les stratégies sont construites une fois (ici, et par (début, fin) pour les jours) : hypothesis valide chaque
# stratégie neuve à son premier tirage, et une stratégie refaite à chaque ligne coûtait autant que le tirage
# lui-même (≈ 40 % du test du lot). Mêmes stratégies, donc mêmes tirages.
MEDECINS_TIRES = st.sampled_from(MEDECINS)
SPECIALITES_TIREES = st.sampled_from(SPECIALITES[:4] * 3 + SPECIALITES)
ACTES_TIRES = st.sampled_from(ACTES[:2] * 4 + ACTES)
AGES_TIRES = st.one_of(st.sampled_from([0, 1, 3, 5, 15, 16, 17, 18, 24, 25, 26, 40, 70, 80, 85]), st.integers(0, 130))
MANIERES = st.sampled_from(["base", "base", "depassement", "petit_depassement", "opposable", "hasard"])


@lru_cache(maxsize=None)
def _jours_tires(debut, fin):
    """(les dates de bascule et leurs veilles dans [début, fin], tirées ; n'importe quel jour de [début, fin])."""
    proches = [d + timedelta(days=k) for d in BASCULES for k in (-1, 0) if debut <= d + timedelta(days=k) <= fin]
    return (st.sampled_from(proches) if proches else None), st.integers(0, (fin - debut).days)


@st.composite
def jours(draw, debut, fin):
    proches, decalages = _jours_tires(debut, fin)
    if proches is not None and draw(st.booleans()):
        return draw(proches)
    return debut + timedelta(days=draw(decalages))


def _base(medecin, jour, parcours, acte="consultation"):
    """Une base plausible pour fabriquer des honoraires : celle des tarifs, si la table en a une."""
    try:
        return reimb.brss(acte, medecin, jour, parcours).valeur
    except (ErreurSaisie, KeyError):
        return D("23.00")


@st.composite
def ligne(draw):
    secteur, dptam, dp, debut, fin = draw(MEDECINS_TIRES)
    # Les actes et spécialités de 2024-2026 (pédiatre, consultation longue, APC…) n'existent qu'à partir de certaines
    # dates et pour certains médecins : tirés moins souvent, et dans leur période, pour garder surtout des lignes
    # valides (les autres restent tirées : leurs refus doivent être les mêmes sur les deux chemins).
    specialite = draw(SPECIALITES_TIREES)
    acte = draw(ACTES_TIRES)
    if acte == "consultation_longue" and draw(st.integers(0, 3)) and fin >= date(2026, 1, 1):
        specialite, debut = "generaliste", max(debut, date(2026, 1, 1))
    elif (acte == "apc" or specialite in SPECIALITES[4:]) and draw(st.integers(0, 3)) and fin >= date(2024, 12, 22):
        debut = max(debut, date(2024, 12, 22))
    brss_donnee = draw(st.booleans()) and draw(st.booleans())  # un quart des lignes
    if brss_donnee and draw(st.booleans()):
        debut = date(2005, 1, 1)  # avec la base donnée, les époques d'avant la table des tarifs
    jour = draw(jours(debut, fin))
    age = draw(AGES_TIRES)
    css = draw(st.integers(0, 9)) == 0
    ald = draw(st.integers(0, 5)) == 0
    maternite = draw(st.integers(0, 9)) == 0
    parcours = draw(st.integers(0, 3)) > 0
    medecin = Medecin(secteur=secteur, dptam=dptam, specialite=specialite, droit_permanent=dp)
    if brss_donnee:
        base = D(draw(st.integers(1, 20000))) / 100
    else:
        base = _base(medecin, jour, parcours or age < 16, acte)
    maniere = draw(MANIERES)
    if maniere == "base":
        honoraires = base
    elif maniere == "depassement":
        honoraires = base + D(draw(st.integers(1, 30000))) / 100
    elif maniere == "petit_depassement":  # autour du dépassement autorisé hors parcours
        honoraires = base + D(draw(st.integers(1, 1000))) / 100
    elif maniere == "opposable":  # un médecin non adhérent qui facture au tarif opposable
        # … ou la base « au tarif opposable » d'un non-adhérent (règle du 1er avril 2018), si elle existe
        try:
            honoraires = reimb.parametre(f"tarifs.{acte}.{specialite}.hors_dptam_opposable", jour).valeur
        except (ErreurSaisie, KeyError):
            honoraires = _base(Medecin(secteur=1, specialite=specialite), jour, True, acte)
    else:
        honoraires = D(draw(st.integers(0, 30000))) / 100
    garantie = draw(st.integers(0, 5))
    if garantie == 0:
        g_d = g_h = None
    else:
        g_d, g_h = draw(NIVEAUX), draw(NIVEAUX)
    return {
        "honoraires": honoraires, "date": jour, "secteur": secteur, "dptam": dptam,
        "droit_permanent": dp, "specialite": specialite, "brss": base if brss_donnee else None,
        "parcours": parcours, "acte": acte, "age": age, "css": css, "ald": ald, "maternite": maternite,
        "garantie_dptam": g_d, "garantie_hors_dptam": g_h, "responsable": draw(st.booleans()),
    }


def scalaire(l):
    """Le décompte de la ligne par le moteur (ou l'ErreurSaisie qu'il lève)."""
    try:
        garantie = None
        if l["garantie_dptam"] is not None or l["garantie_hors_dptam"] is not None:
            garantie = Garantie(dptam=l["garantie_dptam"], hors_dptam=l["garantie_hors_dptam"], responsable=l["responsable"])
        return decompte(
            honoraires=l["honoraires"], date=l["date"], brss=l["brss"], parcours=l["parcours"], garantie=garantie,
            medecin=Medecin(secteur=l["secteur"], dptam=l["dptam"], specialite=l["specialite"], droit_permanent=l["droit_permanent"]),
            patient=Patient(age=l["age"], css=l["css"], ald=l["ald"], maternite=l["maternite"]), acte=l["acte"],
        )
    except ErreurSaisie as e:
        return e


def en_table(lignes, forme):
    """La table des lignes, sous l'une des formes qu'un utilisateur peut donner."""
    t = pd.DataFrame(lignes)
    if forme["honoraires"] == "float":
        t["honoraires"] = [float(h) for h in t["honoraires"]]
    elif forme["honoraires"] == "texte":
        t["honoraires"] = [str(h).replace(".", ",") for h in t["honoraires"]]
    t["brss"] = [np.nan if b is None else float(b) for b in t["brss"]] if forme["brss_float"] else t["brss"]
    if forme["datetime64"]:
        t["date"] = pd.to_datetime(t["date"])
    if forme["categories"]:
        t["specialite"] = t["specialite"].astype("category")
        t["dptam"] = t["dptam"].astype("category")
    return t


FORMES = st.fixed_dictionaries({
    "honoraires": st.sampled_from(["decimal", "float", "texte"]),
    "brss_float": st.booleans(),
    "datetime64": st.booleans(),
    "categories": st.booleans(),
})


def centimes(d):
    return int(d * 100)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(lignes=st.lists(ligne(), min_size=20, max_size=120), forme=FORMES)
def test_lot_egal_au_moteur_au_centime(lignes, forme):
    attendus = [scalaire(l) for l in lignes]
    table = en_table(lignes, forme)
    resultat = decompte_lot(table, erreurs="colonne")
    for i, attendu in enumerate(attendus):
        r = resultat.iloc[i]
        if isinstance(attendu, ErreurSaisie):
            assert isinstance(r["erreur"], str), (lignes[i], attendu)
            continue
        assert r["erreur"] is None, (lignes[i], r["erreur"])
        for nom, valeur in [
            ("brss_appliquee", attendu.brss), ("amo_brut", attendu.amo_brut),
            ("participation_forfaitaire", attendu.participation_forfaitaire),
            ("participation_forfaitaire_reportee", attendu.participation_forfaitaire_reportee),
            ("amo", attendu.amo), ("ticket_moderateur", attendu.ticket_moderateur),
            ("depassement", attendu.depassement), ("amc", attendu.amc), ("reste_a_charge", attendu.reste_a_charge),
        ]:
            assert r[f"{nom}_centimes"] == centimes(valeur), (nom, lignes[i], r[f"{nom}_centimes"], valeur)
            assert r[nom] == valeur and r[nom].as_tuple().exponent == -2, (nom, lignes[i], r[nom], valeur)
        assert r["parcours_effectif"] == attendu.parcours
        assert r["plafond_responsable"] == attendu.plafond_responsable_applique


def test_le_tirage_couvre_tous_les_cas_valides():
    """Garde-fou du test de propriétés : le tirage donne surtout des lignes valides, et de toutes sortes."""
    tirees = []

    @settings(max_examples=700, derandomize=True, database=None, deadline=None)
    @given(ligne())
    def tirer(l):
        tirees.append(l)

    tirer()
    lignes = [l for l in tirees if not isinstance(scalaire(l), ErreurSaisie)]
    # Près de la moitié : les actes et spécialités de 2024-2026 ajoutent des combinaisons refusées (voulues). Le
    # tirage, même « derandomize », n'est pas le même d'un processus à l'autre selon les tests passés avant (mesuré :
    # 285 à 327 lignes valides sur 700, soit 41 à 47 %) : le garde-fou est à 40 %.
    assert len(lignes) > 0.40 * len(tirees), (len(lignes), len(tirees))
    vus = {(l["secteur"], l["dptam"], l["droit_permanent"]) for l in lignes}
    assert vus == {(s, d, dp) for s, d, dp, _, _ in MEDECINS}
    assert {l["specialite"] for l in lignes} == set(SPECIALITES)
    for cas in ("css", "ald", "maternite"):
        assert any(l[cas] for l in lignes), cas
    assert any(l["age"] < 16 and not l["parcours"] for l in lignes)
    assert any(l["age"] >= 16 and not l["parcours"] for l in lignes)
    assert any(l["garantie_dptam"] is None for l in lignes)
    assert any(l["garantie_dptam"] == "frais réels" or l["garantie_hors_dptam"] == "frais réels" for l in lignes)
    assert any(l["brss"] is not None for l in lignes) and any(l["brss"] is None for l in lignes)
    epoques = [date(2005, 1, 1), date(2013, 1, 1), date(2015, 4, 1), date(2017, 1, 1), date(2017, 5, 1), date(2017, 7, 1),
               date(2018, 4, 1), date(2023, 11, 1), date(2024, 5, 15), date(2024, 12, 22), date(2025, 7, 1)]
    assert {sum(l["date"] >= e for e in epoques) for l in lignes} == set(range(1, len(epoques) + 1))
    assert any(l["responsable"] for l in lignes) and not all(l["responsable"] for l in lignes)


# --- Lignes refusées : les mêmes que le moteur ---------------------------------------------------------


MAUVAIS = {  # une valeur impossible par champ (construites une fois, comme les stratégies de ligne())
    "honoraires": st.sampled_from([D("-1"), D("12.345"), None, D("1e13")]),
    "date": st.sampled_from([date(2004, 12, 31), date(2027, 1, 1), date(2008, 6, 1), None]),
    "secteur": st.sampled_from([0, 4, None, "1"]),
    "dptam": st.sampled_from(["OPTAM", "CAS", "optam", "XYZ"]),
    "droit_permanent": st.sampled_from([True, None]),
    "specialite": st.sampled_from(["dentiste", None]),
    "brss": st.sampled_from([D("0"), D("-5"), D("1.001"), D("1000")]),
    "parcours": st.sampled_from([None, False]),
    "age": st.sampled_from([-1, 131, None]),
    "css": st.sampled_from([True, None]),
    "ald": st.sampled_from([True, None]),
    "maternite": st.sampled_from([True, None]),
    "garantie_dptam": st.sampled_from([D("-10"), "gratuit"]),
    "garantie_hors_dptam": st.sampled_from([D("-10"), "beaucoup"]),
    "responsable": st.sampled_from([None, True]),
    "acte": st.sampled_from(["radiographie", None]),
}


@lru_cache(maxsize=None)
def _champs_tires(champs):
    return st.sampled_from(list(champs) + ["aucun"] * 4)


@st.composite
def ligne_douteuse(draw):
    """Une ligne dont un champ, parfois, est impossible."""
    l = draw(ligne())
    champ = draw(_champs_tires(tuple(l)))
    if champ in MAUVAIS:
        l[champ] = draw(MAUVAIS[champ])
        if champ in ("garantie_dptam", "garantie_hors_dptam"):  # les deux niveaux, ou aucun
            autre = "garantie_hors_dptam" if champ == "garantie_dptam" else "garantie_dptam"
            l[autre] = 100 if l[autre] is None else l[autre]
    return l


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(lignes=st.lists(ligne_douteuse(), min_size=30, max_size=80))
def test_lot_refuse_les_lignes_que_le_moteur_refuse(lignes):
    attendus = [scalaire(l) for l in lignes]
    table = pd.DataFrame(lignes)
    for col in ("secteur", "age", "droit_permanent", "parcours", "css", "ald", "maternite", "responsable"):
        table[col] = pd.Series([l[col] for l in lignes], dtype=object)  # None reste None
    resultat = decompte_lot(table, erreurs="colonne")
    for i, attendu in enumerate(attendus):
        erreur = resultat["erreur"].iloc[i]
        if isinstance(attendu, ErreurSaisie):
            assert erreur == str(attendu), (lignes[i], erreur, attendu)
            assert pd.isna(resultat["amc_centimes"].iloc[i]) and resultat["amc"].iloc[i] is None
        else:
            assert erreur is None, (lignes[i], erreur)
            assert resultat["reste_a_charge_centimes"].iloc[i] == centimes(attendu.reste_a_charge)


# --- Exemples écrits à la main ------------------------------------------------------------------------

JOUR_2016 = date(2016, 3, 1)


def table_source_002():
    """Source 002 : spécialiste secteur 2, 50 €, 2016, CAS (BRSS 28 €) et non adhérent (23 €)."""
    return pd.DataFrame({
        "honoraires": [50, 50, 50],
        "date": [JOUR_2016] * 3,
        "secteur": 2,
        "dptam": ["CAS", None, None],
        "specialite": "specialiste",
        "age": 45,
        "garantie_dptam": [125, "frais réels", 150],
        "garantie_hors_dptam": [125, 125, 150],
    })


def test_exemples_source_002():
    r = decompte_lot(table_source_002())
    # CAS 125 % : AMO 70 % × 28 = 19,60 − 1 = 18,60 ; AMC 35 − 19,60 = 15,40 ; reste 16,00.
    # Non adhérent 125 % (DPTAM non plafonné) : 28,75 − 16,10 = 12,65 ; reste 50 − 15,10 − 12,65 = 22,25.
    # Non adhérent 150 %, DPTAM 150 % : plafond 150 − 20 = 130 % × 23 = 29,90 − 16,10 = 13,80 ; reste 21,10.
    assert list(r["amo"]) == [D("18.60"), D("15.10"), D("15.10")]
    assert list(r["amc"]) == [D("15.40"), D("12.65"), D("13.80")]
    assert list(r["reste_a_charge"]) == [D("16.00"), D("22.25"), D("21.10")]
    assert list(r["reste_a_charge_centimes"]) == [1600, 2225, 2110]
    assert r["reste_a_charge_centimes"].dtype == np.int64
    assert list(r["plafond_responsable"]) == [False, False, True]
    assert (r["amo_centimes"] + r["amc_centimes"] + r["reste_a_charge_centimes"] == 5000).all()


def test_la_table_d_entree_n_est_pas_modifiee():
    t = table_source_002()
    avant = t.copy()
    r = decompte_lot(t)
    pd.testing.assert_frame_equal(t, avant)
    assert list(r.columns[: len(t.columns)]) == list(t.columns)
    assert set(COLONNES_MONTANTS) <= set(r.columns)


def test_sans_colonnes_euros():
    r = decompte_lot(table_source_002(), euros=False)
    assert "amc" not in r.columns and list(r["amc_centimes"]) == [1540, 1265, 1380]


def table_erronee():
    t = pd.DataFrame({
        "honoraires": [30.0, 10.0, 30.0, np.nan, 30.0, 30.0, 30.0, 30.0],
        "date": [date(2025, 1, 15)] * 8,
        "secteur": [1, 2, 1, 1, 5, 1, 1, 1],
        "dptam": [None, None, None, None, None, "CAS", None, None],
        "age": [40] * 8,
    }, index=list("abcdefgh"))
    return t


def test_lignes_refusees_erreur_en_francais():
    with pytest.raises(ErreurLot) as e:
        decompte_lot(table_erronee())
    err = e.value
    assert isinstance(err, reimb.ErreurSaisie)
    assert err.total == 4
    # Les premières lignes refusées, dans l'ordre de la table, avec la colonne en cause.
    assert [(l[0], l[1]) for l in err.lignes] == [("b", "honoraires"), ("d", "honoraires"), ("e", "secteur"), ("f", "dptam")]
    texte = str(err)
    assert "4 lignes refusées sur 8" in texte
    assert "ligne 'b'" in texte and "10,00\u00a0€ est inférieur à la base de remboursement (23,00\u00a0€)" in texte
    assert "secteur 5 inconnu" in texte
    assert "erreurs=\"colonne\"" in texte


def test_option_colonne_signale_sans_nan_silencieux():
    r = decompte_lot(table_erronee(), erreurs="colonne")
    assert r["erreur"].isna().tolist() == [True, False, True, False, False, False, True, True]
    assert r.loc["a", "erreur"] is None
    assert r.loc["d", "erreur"].startswith("honoraires : nan n'est pas un montant")
    assert r.loc["f", "erreur"].startswith("medecin.dptam : un médecin de secteur 1 sans droit permanent")
    assert str(r["amc_centimes"].dtype) == "Int64"
    assert r["amc_centimes"].isna().tolist() == r["erreur"].notna().tolist()
    assert r.loc["b", "amc"] is None
    # Les lignes correctes sont calculées : généraliste secteur 1, 2025, 30 € : Sécu 21 − 2 = 19.
    assert r.loc["a", "amo"] == D("19.00") and r.loc["a", "amo_centimes"] == 1900


def test_premieres_lignes_seulement():
    t = pd.DataFrame({"honoraires": [-1] * 20, "date": [date(2025, 1, 15)] * 20, "secteur": 1})
    with pytest.raises(ErreurLot) as e:
        decompte_lot(t)
    assert e.value.total == 20 and len(e.value.lignes) == 5
    assert "les 5 premières" in str(e.value)


def test_controles_propres_au_lot():
    t = pd.DataFrame({
        "honoraires": [30, 30, 30],
        "date": pd.to_datetime(["2025-01-15", "2025-01-15 10:30", "2025-01-15"], format="ISO8601"),
        "secteur": 1,
        "garantie_dptam": [100, 100, np.nan],
        "garantie_hors_dptam": [100, 100, 125],
    })
    r = decompte_lot(t, erreurs="colonne")
    assert r["erreur"].iloc[0] is None and r["amo"].iloc[0] == D("19.00")
    assert "heure" in r["erreur"].iloc[1]
    assert "garantie incomplète" in r["erreur"].iloc[2]


@pytest.mark.parametrize("table, message", [
    (pd.DataFrame({"honoraires": [30], "date": [date(2025, 1, 15)]}), "obligatoire"),
    (pd.DataFrame({"honoraires": [30], "date": [date(2025, 1, 15)], "secteur": 1, "amo": [1]}), "déjà présente"),
    (pd.DataFrame({"honoraires": [30], "date": [date(2025, 1, 15)], "secteur": 1, "garantie": [100]}), "garantie inconnue"),
])
def test_table_mal_formee(table, message):
    with pytest.raises(ErreurSaisie, match=message):
        decompte_lot(table, erreurs="colonne")


def test_option_inconnue():
    with pytest.raises(ErreurSaisie, match="erreurs"):
        decompte_lot(table_source_002(), erreurs="ignorer")


def test_montants_demesures_restent_exacts():
    """Au-delà de ce que tiennent les entiers 64 bits, le calcul passe en entiers Python, exact."""
    lignes = [
        dict(honoraires=D("999999999999.99"), garantie_dptam="frais réels", garantie_hors_dptam=D("1000.5")),
        dict(honoraires=D("50"), garantie_dptam=D("133.3333"), garantie_hors_dptam=100),
    ]
    communs = dict(date=JOUR_2016, secteur=2, dptam=None, droit_permanent=False, specialite="specialiste", brss=None,
                   parcours=True, acte="consultation", age=45, css=False, ald=False, maternite=False, responsable=True)
    lignes = [communs | l for l in lignes]
    r = decompte_lot(pd.DataFrame(lignes))
    assert r["amc_centimes"].dtype == object  # entiers Python
    for i, l in enumerate(lignes):
        attendu = scalaire(l)
        assert r["amc"].iloc[i] == attendu.amc and r["reste_a_charge"].iloc[i] == attendu.reste_a_charge


# --- Plafond annuel de la participation forfaitaire ---------------------------------------------------


def test_plafond_annuel_50_euros_par_personne():
    """Alice : 45 consultations le 1er mars 2024 (PF 1 €), puis 5 le 1er juin 2024 (PF 2 €).

    Comptées par date : 45 × 1 = 45 € ; le 1er juin, 2 + 2 = 49 €, puis 1 € (50 € atteints), puis 0, 0, 0.
    Les lignes sont données dans le désordre : l'ordre retenu est la date, puis l'ordre de la table.
    Bob (même table, 3 consultations) n'est pas touché ; Alice repart de zéro le 1er janvier 2025.
    """
    mars, juin, an_2025 = date(2024, 3, 1), date(2024, 6, 1), date(2025, 1, 15)
    lignes = ([("alice", juin)] * 5 + [("alice", mars)] * 45 + [("bob", juin)] * 3 + [("alice", an_2025)])
    t = pd.DataFrame({"personne": [p for p, _ in lignes], "date": [d for _, d in lignes],
                      "honoraires": [D("26.50")] * 53 + [D("30")], "secteur": 1, "age": 40})
    r = decompte_lot(t)
    pf = r["participation_forfaitaire_centimes"].tolist()
    assert pf[:5] == [200, 200, 100, 0, 0]          # juin : 45 + 2 + 2 = 49, + 1 = 50, puis rien
    assert pf[5:50] == [100] * 45                    # mars : 45 × 1 €
    assert pf[50:53] == [200] * 3                    # Bob : 3 × 2 €
    assert pf[53] == 200                             # 2025 : nouvelle année
    assert sum(pf[:50]) == 5000                      # 50 € pour Alice en 2024
    # Sécu : 70 % × 26,50 = 18,55, moins la participation retenue.
    assert r["amo_centimes"].tolist()[:5] == [1655, 1655, 1755, 1855, 1855]
    assert (r["amo_centimes"] + r["amc_centimes"] + r["reste_a_charge_centimes"] == r["honoraires"].map(lambda h: int(h * 100))).all()


def test_plafond_annuel_meme_jour_ordre_des_lignes_et_exoneres():
    """51 consultations le même jour de 2016 (PF 1 €) : la 51e, dans l'ordre de la table, n'en paie pas.

    Un mineur (exonéré) n'entame pas son plafond ; une ligne refusée ne compte pas.
    """
    n = 51
    t = pd.DataFrame({"personne": ["p"] * n + ["enfant"], "date": [JOUR_2016] * (n + 1),
                      "honoraires": [23] * (n + 1), "secteur": 1, "age": [40] * n + [8]})
    pf = decompte_lot(t)["participation_forfaitaire_centimes"].tolist()
    assert pf == [100] * 50 + [0] + [0]
    t.loc[0, "honoraires"] = -1  # refusée : la 51e paie alors sa participation
    r = decompte_lot(t, erreurs="colonne")
    assert r["participation_forfaitaire_centimes"].tolist()[1:51] == [100] * 50
    assert pd.isna(r["participation_forfaitaire_centimes"].iloc[0])


def test_sans_colonne_personne_pas_de_plafond():
    t = pd.DataFrame({"date": [JOUR_2016] * 60, "honoraires": 23, "secteur": 1})
    assert decompte_lot(t)["participation_forfaitaire_centimes"].sum() == 6000


def test_personne_manquante_refusee():
    t = pd.DataFrame({"personne": ["a", None], "date": [JOUR_2016] * 2, "honoraires": 23, "secteur": 1})
    r = decompte_lot(t, erreurs="colonne")
    assert r["erreur"].iloc[0] is None and "personne manquante" in r["erreur"].iloc[1]


# --- Légèreté de « import reimb » ---------------------------------------------------------------------


def test_import_reimb_ne_charge_ni_pandas_ni_numpy():
    code = ("import sys, reimb; assert 'pandas' not in sys.modules and 'numpy' not in sys.modules; "
            "f = reimb.decompte_lot; assert 'pandas' in sys.modules; print('ok')")
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert sortie.stdout.strip() == "ok"


def test_lot_refuse_comme_le_moteur_apres_la_serie_2018():
    """Même cas que tests/test_tarifs.py : 30 € chez un généraliste non adhérent le 01/03/2025."""
    from datetime import date

    table = pd.DataFrame({"honoraires": ["30", "35"], "date": [date(2025, 3, 1)] * 2, "secteur": [2, 2]})
    r = reimb.decompte_lot(table, erreurs="colonne")
    with pytest.raises(reimb.ErreurSaisie) as e:
        reimb.decompte(honoraires="30", date=date(2025, 3, 1), medecin=reimb.Medecin(secteur=2))
    assert r.loc[0, "erreur"] == str(e.value)
    assert r.loc[1, "erreur"] is None and r.loc[1, "amo"] == reimb.decompte(
        honoraires="35", date=date(2025, 3, 1), medecin=reimb.Medecin(secteur=2)).amo


def test_lot_enfant_de_moins_de_6_ans_comme_le_moteur():
    """Généraliste secteur 1, enfant de 3 ans : 30 € en 2019, 31,50 € en 2024 (domain-facts §3.1), 35 € en 2025
    (europe1, juin 2024 ; peers.md §3.2) ; 25 € en 2019 est sous la base et refusé."""
    from datetime import date

    jours = [date(2019, 3, 1), date(2024, 3, 1), date(2025, 3, 1), date(2019, 3, 1)]
    table = pd.DataFrame({"honoraires": ["30", "31.50", "35", "25"], "date": jours, "secteur": [1] * 4, "age": [3] * 4})
    r = reimb.decompte_lot(table, erreurs="colonne")
    for i in range(3):
        d = reimb.decompte(honoraires=table.honoraires[i], date=jours[i], medecin=reimb.Medecin(secteur=1),
                           patient=reimb.Patient(age=3))
        assert (r.loc[i, "brss_appliquee"], r.loc[i, "amo"]) == (d.brss, d.amo)
    assert [r.loc[i, "brss_appliquee"] for i in range(3)] == [D("30.00"), D("31.50"), D("35.00")]
    assert r.loc[3, "erreur"].startswith("honoraires")


# --- Plafond journalier et différentiel avec les plafonds et les scénarios -----------------------------


def test_plafond_journalier_par_professionnel():
    """2025, PF 2 €, au plus 8 € par jour chez un même professionnel (participation_forfaitaire.toml) :
    5 consultations chez A le même jour → 2, 2, 2, 2, 0 ; chez B le même jour, le compte repart."""
    jour = date(2025, 1, 15)
    t = pd.DataFrame({"personne": "p", "professionnel": ["A"] * 5 + ["B"], "date": [jour] * 6,
                      "honoraires": 30, "secteur": 1, "age": 40})
    assert decompte_lot(t)["participation_forfaitaire_centimes"].tolist() == [200, 200, 200, 200, 0, 200]
    with pytest.raises(ErreurSaisie, match="professionnel"):
        decompte_lot(t.drop(columns="personne"))
    t.loc[5, "professionnel"] = None
    assert "professionnel manquant" in decompte_lot(t, erreurs="colonne")["erreur"].iloc[5]


def _deja_a_la_main(lignes, pf_dues, plafond_jour, plafond_an):
    """L'oracle : par date puis ordre des lignes, ce qui est déjà compté le jour (par professionnel) et l'année."""
    ordre = sorted(range(len(lignes)), key=lambda i: (lignes[i]["date"], i))
    jour, an, resultat = {}, {}, {}
    for i in ordre:
        l = lignes[i]
        cj, ca = (l["personne"], l["professionnel"], l["date"]), (l["personne"], l["date"].year)
        dj, da = jour.get(cj, D(0)), an.get(ca, D(0))
        resultat[i] = (dj, da)
        apres_jour = min(pf_dues[i], max(D(0), plafond_jour(l["date"]) - dj))
        jour[cj] = dj + pf_dues[i]
        an[ca] = da + min(apres_jour, max(D(0), plafond_an(l["date"]) - da))
    return resultat


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(lignes=st.lists(ligne(), min_size=20, max_size=80), personnes=st.lists(st.sampled_from("pq"), min_size=80, max_size=80),
       pros=st.lists(st.sampled_from("AB"), min_size=80, max_size=80), avec_scenario=st.booleans())
def test_lot_egal_au_moteur_avec_plafonds_et_scenario(lignes, personnes, pros, avec_scenario):
    """Le lot (colonnes personne, professionnel) contre le moteur à qui l'on donne, ligne par ligne, ce qui est
    déjà compté (oracle écrit à la main ci-dessus) ; avec, une fois sur deux, un scénario « PF à 4 € »."""
    scenario = reimb.Scenario({"participation_forfaitaire.montant": 4}, depuis=date(2015, 1, 1), nom="PF à 4 €") if avec_scenario else None
    jours_possibles = [date(2016, 3, 1), date(2016, 3, 2), date(2024, 6, 10)]   # peu de jours : les plafonds jouent
    for i, l in enumerate(lignes):
        l.update(personne=personnes[i], professionnel=pros[i], date=jours_possibles[i % 3], brss=None)
        l.update(secteur=2, dptam=None, droit_permanent=False, acte="consultation", css=False, maternite=False, age=40)
    valides = [scalaire(l) for l in lignes]
    lignes = [l for l, d in zip(lignes, valides) if not isinstance(d, ErreurSaisie)]
    if not lignes:
        return
    resultat = decompte_lot(pd.DataFrame(lignes), scenario=scenario)
    with reimb.parametres.scenario_actif(scenario):
        pf = lambda j: reimb.parametre("participation_forfaitaire.montant", j).valeur   # noqa: E731
        pj = lambda j: reimb.parametre("participation_forfaitaire.plafond_journalier", j).valeur   # noqa: E731
        pa = lambda j: reimb.parametre("participation_forfaitaire.plafond_annuel", j).valeur   # noqa: E731
        deja = _deja_a_la_main(lignes, [pf(l["date"]) for l in lignes], pj, pa)
    for i, l in enumerate(lignes):
        g = None if l["garantie_dptam"] is None else Garantie(dptam=l["garantie_dptam"], hors_dptam=l["garantie_hors_dptam"], responsable=l["responsable"])
        d = decompte(honoraires=l["honoraires"], date=l["date"], medecin=Medecin(secteur=2, specialite=l["specialite"]),
                     patient=Patient(age=40, ald=l["ald"]), garantie=g, parcours=l["parcours"], scenario=scenario,
                     pf_deja_payees_jour=deja[i][0], pf_deja_payees_annee=deja[i][1])
        r = resultat.iloc[i]
        assert (r["participation_forfaitaire"], r["amo"], r["amc"], r["reste_a_charge"]) == (
            d.participation_forfaitaire, d.amo, d.amc, d.reste_a_charge), (i, l, deja[i])


def test_expliquer_une_ligne_du_lot():
    """La 5e consultation du jour chez le même médecin (2025, PF 2 €, plafond 8 €) : l'explication le dit."""
    jour = date(2025, 1, 15)
    t = pd.DataFrame({"personne": "p", "professionnel": "A", "date": [jour] * 5, "honoraires": 30, "secteur": 1, "age": 40})
    d = reimb.lot.expliquer(t, 4)
    r = decompte_lot(t)
    assert d.participation_forfaitaire == r["participation_forfaitaire"].iloc[4] == D("0.00")
    assert d.amo == r["amo"].iloc[4] == D("21.00")   # 70 % × 30 €, sans participation
    etape = next(e for e in d.etapes if e.code == "pf_plafond_jour")
    assert "8\u00a0€ déjà comptés" in etape.regle
    t.loc[2, "honoraires"] = 10   # sous la base : refusée
    with pytest.raises(ErreurSaisie, match="inférieur à la base"):
        reimb.lot.expliquer(t, 2)


def test_consultation_longue_chaque_montant_juge_pour_lui_meme():
    """La consultation longue se facture au tarif opposable (60 € en 2026) : dans une même table, 60 € passe et
    70 € est refusé, quel que soit l'ordre des lignes (le lot groupait les lignes d'un même médecin, âge et jour, et
    la première ligne du groupe décidait pour toutes ; trouvé par le test de propriétés)."""
    for ordre in (["60", "70"], ["70", "60"]):
        t = pd.DataFrame({
            "date": [date(2026, 12, 30)] * 2, "honoraires": [D(h) for h in ordre], "secteur": [1, 1],
            "droit_permanent": [True, True], "dptam": ["OPTAM", "OPTAM"], "specialite": ["generaliste"] * 2,
            "age": [80, 80], "acte": ["consultation_longue"] * 2, "parcours": [True, True],
        })
        r = reimb.decompte_lot(t, erreurs="colonne")
        for i, h in enumerate(ordre):
            if h == "60":
                # À la main : 70 % × 60 € = 42 € − 2 € de participation forfaitaire = 40 € ; reste 60 − 40 = 20 €.
                assert r.erreur.iloc[i] is None and r.amo.iloc[i] == D("40.00")
            else:
                assert "tarif opposable" in r.erreur.iloc[i] and r.erreur.iloc[i].startswith("honoraires")
