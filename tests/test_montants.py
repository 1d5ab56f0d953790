"""L'argent : la règle d'arrondi unique, la lecture exacte des saisies, l'affichage à la française.

Règle du projet (domain-facts §9, choix documenté dans reimb/montants.py) : chaque montant payé est
arrondi au centime, au plus proche, les demis vers le haut. Chaque attendu a son calcul à côté.
"""

from decimal import Decimal as D

import pytest

import reimb
from reimb.montants import arrondi, en_centimes, en_decimal, euros, montant, pourcent

NBSP = "\u00a0"    # espace insécable : entre le nombre et « € » ou « % » (Babel, fr_FR)
NNBSP = "\u202f"   # espace fine insécable : séparateur des milliers (Babel, fr_FR)


# --- La règle d'arrondi ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "brut, attendu",
    [
        ("17.352", "17.35"),   # domain-facts §9 : détartrage 60 % × 28,92 = 17,352 → 17,35 (3e décimale 2 < 5)
        ("0.427", "0.43"),     # domain-facts §9 : 70 % × 0,61 (tarif d'autorité) = 0,427 → 0,43 (7 ≥ 5)
        ("0.005", "0.01"),     # un demi-centime exact monte (demi vers le haut ; « au pair » donnerait 0,00)
        ("0.125", "0.13"),     # idem : 0,125 → 0,13 (« au pair » donnerait 0,12)
        ("2.675", "2.68"),     # en Decimal, 2,675 est exact : le demi monte (en float, round(2.675, 2) = 2.67)
        ("0.004999", "0.00"),  # sous le demi : descend
        ("19.6", "19.60"),     # 70 % × 28 = 19,60 : déjà au centime, seulement mis à deux décimales
        ("16.1", "16.10"),     # 70 % × 23 = 16,10
        ("29.375", "29.38"),   # 25 × 1,175 = 29,375 → 29,38
        ("0", "0.00"),
    ],
)
def test_arrondi_au_centime_demi_vers_le_haut(brut, attendu):
    r = arrondi(D(brut))
    assert r == D(attendu)
    assert r.as_tuple().exponent == -2  # toujours deux décimales


def test_arrondi_est_exporte():
    assert reimb.arrondi is arrondi


def test_arrondi_des_produits_du_moteur():
    # 70 % × 0,61 : calcul exact 0,427, arrondi 0,43 (domain-facts, cas limite du tarif d'autorité)
    assert arrondi(D("0.61") * 70 / 100) == D("0.43")
    # 60 % × 28,92 = 17,352 → 17,35 ; le TM s'obtient par soustraction : 28,92 − 17,35 = 11,57
    amo = arrondi(D("28.92") * 60 / 100)
    assert (amo, D("28.92") - amo) == (D("17.35"), D("11.57"))


# --- Lecture des saisies --------------------------------------------------------------------------

@pytest.mark.parametrize(
    "saisie, attendu",
    [
        (0.1, "0.1"),          # float lu par son texte décimal, pas sa valeur binaire 0.1000000000000000055…
        (18.6, "18.6"),
        (2.675, "2.675"),      # la valeur binaire est 2.67499999999999982236431605997495353221893310546875
        (50.0, "50.0"),
        (50, "50"),
        (D("28.00"), "28.00"),
        ("18,60", "18.60"),    # virgule décimale française
        ("18.60", "18.60"),
        (" 50 ", "50"),
        ("50 €", "50"),        # le symbole est toléré
        ("1 234,50", "1234.50"),               # espace des milliers
        (f"1{NNBSP}234,50{NBSP}€", "1234.50"),  # ce qu'affiche euros() se relit
        ("-0", "0"),           # zéro sans signe
    ],
)
def test_en_decimal(saisie, attendu):
    d = en_decimal(saisie, "x")
    assert d == D(attendu) and str(d) == attendu


def test_float_jamais_par_sa_valeur_binaire():
    assert en_decimal(0.1, "x") != D(0.1)          # D(0.1) = 0.1000000000000000055511151231257827…
    assert en_decimal(0.1, "x") + en_decimal(0.2, "x") == D("0.3")


def test_zero_negatif_normalise():
    for saisie in ("-0", "-0.00", -0.0, D("-0")):
        d = en_decimal(saisie, "x")
        assert d == 0 and not d.is_signed()
    assert not montant(-0.0, "honoraires").is_signed()


@pytest.mark.parametrize(
    "saisie, attendu",
    [
        ("18,6", "18.60"),     # complété au centime
        (50, "50.00"),
        (18.6, "18.60"),
        ("50.000", "50.00"),   # zéros de fin : c'est bien 50,00 €
    ],
)
def test_montant_au_centime(saisie, attendu):
    m = montant(saisie, "honoraires")
    assert m == D(attendu) and m.as_tuple().exponent == -2


def test_montant_plus_de_deux_decimales_refuse():
    with pytest.raises(reimb.ErreurSaisie) as e:
        montant("18.605", "honoraires")
    assert e.value.champ == "honoraires" and "au centime" in str(e.value)


def test_en_centimes():
    assert en_centimes(D("18.60")) == 1860
    assert en_centimes(D("0.01")) == 1


# --- Affichage à la française (Babel) -------------------------------------------------------------

@pytest.mark.parametrize(
    "valeur, texte",
    [
        ("18.6", f"18,60{NBSP}€"),
        ("18.60", f"18,60{NBSP}€"),
        ("0", f"0,00{NBSP}€"),
        ("1234.5", f"1{NNBSP}234,50{NBSP}€"),
        ("0.125", f"0,13{NBSP}€"),   # arrondi du projet avant Babel (Babel seul : 0,12, « au pair »)
        ("0.005", f"0,01{NBSP}€"),
    ],
)
def test_euros(valeur, texte):
    assert euros(D(valeur)) == texte


def test_pourcent():
    assert pourcent(D("17.5")) == f"17,5{NBSP}%"
    assert pourcent(D("125")) == f"125{NBSP}%"


# --- Nombres numpy, textes stricts, arrondi gardé (revue de fiabilité : H1, L7, L8) -------------------------

def test_nombres_numpy():
    np = pytest.importorskip("numpy")
    assert en_decimal(np.float64(0.1), "x") == D("0.1")          # repr numpy 2 : « np.float64(0.1) », lu par son texte
    assert en_decimal(np.float32(0.1), "x") == D("0.1")          # le texte le plus court du float32
    assert en_decimal(np.int64(50), "x") == D(50) and en_decimal(np.uint8(3), "x") == D(3)
    with pytest.raises(reimb.ErreurSaisie):
        en_decimal(np.bool_(True), "x")
    with pytest.raises(reimb.ErreurSaisie, match="nombre fini"):
        en_decimal(np.float64("nan"), "x")


@pytest.mark.parametrize("texte", ["2 8", "5_0", "1e3", "50,", "+50", "٥٠", "1.000,50", "12 34"])
def test_textes_absurdes_refuses(texte):
    with pytest.raises(reimb.ErreurSaisie) as e:
        en_decimal(texte, "x")
    assert e.value.champ == "x"


def test_arrondi_garde():
    assert arrondi("1,005") == D("1.01")                         # demi vers le haut, texte lu exactement
    assert not arrondi(D("-0.004")).is_signed()                  # jamais « -0,00 »
    with pytest.raises(reimb.ErreurSaisie):
        arrondi(D("1E+30"))
