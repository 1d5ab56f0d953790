"""Les exemples de remboursement en euros (reimb.exemples_remboursement) contre une fiche réellement publiée,
la comparaison de contrats (reimb.comparer_garanties) et sa fiche PDF.

La fiche : APRIL Santé Mix, « Exemples de remboursement » 03/2025, lignes « Soins courants », reproduites
telles qu'imprimées dans la fiche de connaissances fabcoh/santeo-tarifs, docs/connaissances/april_santemix.md
(commit 570bded) — lue pour la revue des pairs (shared/reviews/peers.md §3.4). Les niveaux N1…N6 des
honoraires médicaux (même fiche, tableau des garanties, Notice p.5) : médecins DPTAM 100, 125, 150, 200,
250, 300 % BR ; non DPTAM 100, 100, 125, 175, 200, 200 % BR ; « sous déduction du remboursement du régime
obligatoire » : Sécurité sociale comprise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

import reimb
from reimb.garanties import lire_toml

DPTAM = (100, 125, 150, 200, 250, 300)
HORS = (100, 100, 125, 175, 200, 200)
MARS_2025 = date(2025, 3, 1)   # le mois de la fiche (03/2025)


def niveau_april(n: int):
    d, h = DPTAM[n - 1], HORS[n - 1]
    return lire_toml(f'nom = "APRIL N{n}"\n[consultation.generaliste]\ndptam = "{d} % BR"\nhors_dptam = "{h} % BR"\n'
                     f'[consultation.specialiste]\ndptam = "{d} % BR"\nhors_dptam = "{h} % BR"\n')


# Ce que la fiche imprime : dépense, BR, Sécu, complémentaire N1…N6 (une valeur : la même à tous les niveaux).
FICHE = {
    "generaliste_secteur1": ("30", "30", "19", ["9"] * 6),
    "pediatre_secteur1_moins_6_ans": ("35", "35", "24.50", ["10.50"] * 6),
    "specialiste_secteur1": ("31.50", "31.50", "20.05", ["9.45"] * 6),
    "pediatre_optam_moins_6_ans": ("50", "35", "24.50", ["10.05", "19.25", "25.50", "25.50", "25.50", "25.50"]),
    "specialiste_optam": ("54", "31.50", "20.05", ["9.45", "17.32", "25.20", "31.95", "31.95", "31.95"]),
    "pediatre_non_optam": ("62", "23", "16.10", ["6.90", "6.90", "12.65", "24.15", "29.90", "29.90"]),
    "specialiste_non_optam": ("67", "23", "14.10", ["6.90", "6.90", "12.65", "24.15", "29.90", "29.90"]),
}
# Les trois chiffres où la fiche se trompe, et la bonne valeur (voir les tests plus bas).
ERRATA = {("pediatre_optam_moins_6_ans", 1): "10.50", ("specialiste_optam", 2): "17.33"}


def test_colonnes_et_lignes():
    df = reimb.exemples_remboursement(niveau_april(3), MARS_2025)
    assert list(df.columns) == ["libelle", "depense", "brss", "amo", "amc", "reste_a_charge"]
    assert len(df) == len(FICHE)
    assert all(df["depense"] == df["amo"] + df["amc"] + df["reste_a_charge"])
    assert df.attrs["date"] == MARS_2025 and "APRIL" in df.attrs["source"]


@pytest.mark.parametrize("n", range(1, 7))
def test_exemples_contre_la_fiche_april_2025(n):
    from reimb.exemples import exemples

    df = reimb.exemples_remboursement(niveau_april(n), MARS_2025)
    for cle, (_, ligne) in zip([a.cle for a in exemples()], df.iterrows()):
        depense, br, secu, amc = FICHE[cle]
        assert (ligne["depense"], ligne["brss"], ligne["amo"]) == (D(depense), D(br), D(secu)), cle
        attendu = ERRATA.get((cle, n), amc[n - 1])
        assert ligne["amc"] == D(attendu), (cle, n)


def test_erreur_de_la_fiche_pediatre_optam_10_05_au_lieu_de_10_50():
    # N1 = 100 % BR, Sécu comprise : min(50 ; 100 % × 35) − 70 % × 35 (24,50) = 10,50 € : le ticket modérateur.
    # La fiche imprime 10,05 € (chiffres inversés) et un reste à charge de 15,45 € qui suit la faute :
    # 50 − 24,50 − 10,05 = 15,45 ; le bon reste à charge est 50 − 24,50 − 10,50 = 15 €.
    ligne = reimb.exemples_remboursement(niveau_april(1), MARS_2025).iloc[3]
    assert ligne["libelle"].startswith("Pédiatre adhérent OPTAM")
    assert (ligne["amc"], ligne["reste_a_charge"]) == (D("10.50"), D("15.00"))
    assert ligne["amc"] != D("10.05")


def test_la_fiche_arrondit_en_virgule_flottante_17_32_au_lieu_de_17_33():
    # N2 = 125 % BR : 125 % × 31,50 = 39,375 → 39,38 € (au centime, demi vers le haut : la règle du projet) ;
    # 39,38 − 22,05 = 17,33 €. La fiche imprime 17,32 € : en virgule flottante binaire, 39,375 − 22,05 vaut
    # 17,324999…, que l'arrondi au centime ramène à 17,32. Un moteur exact et la fiche diffèrent d'un centime.
    ligne = reimb.exemples_remboursement(niveau_april(2), MARS_2025).iloc[4]
    assert ligne["amc"] == D("17.33")
    assert round(1.25 * 31.5 - 22.05, 2) == 17.32          # ce que donne le calcul en flottants
    assert D(1.25 * 31.5 - 22.05) < D("17.325")            # valeur binaire exacte 17,324999… : la demie est perdue


def test_restes_a_charge_de_la_fiche_sans_la_participation_forfaitaire():
    # Spécialiste OPTAM à 54 € : la fiche imprime un reste à charge de 22,50 € au N1 (et 14,63, 6,75 aux N2, N3),
    # soit 54 − 22,05 (Sécu AVANT participation forfaitaire) − 9,45. Le patient paie pourtant la participation
    # de 2 € : 54 − 20,05 − 9,45 = 24,50 € (les N4 à N6 de la même ligne impriment bien 2 €, la participation).
    rac = [reimb.exemples_remboursement(niveau_april(n), MARS_2025).iloc[4]["reste_a_charge"] for n in (1, 2, 3, 4)]
    assert rac == [D("24.50"), D("16.62"), D("8.75"), D("2.00")]


def test_la_base_de_calcul_annoncee_au_1er_juin_2024_est_contredite_par_les_chiffres():
    # La fiche dit calculer « sur la base de remboursement … en vigueur au 1er juin 2024 ». Or ce jour-là la
    # consultation du généraliste (G) valait 26,50 € (AMO 70 % × 26,50 − 2 = 16,55 €), pas 30 € (19 €) :
    # 30 € s'applique depuis le 22 décembre 2024. Les chiffres imprimés sont ceux de 2025.
    # Le moteur refuse donc la ligne « généraliste secteur 1, 30 € » à cette date : un secteur 1 facture 26,50 €.
    with pytest.raises(reimb.ErreurSaisie) as e:
        reimb.exemples_remboursement(niveau_april(1), date(2024, 6, 1))
    assert "26,50" in str(e.value)
    d = reimb.decompte(honoraires="26.50", date=date(2024, 6, 1), medecin=reimb.Medecin(secteur=1))
    assert (d.brss, d.amo) == (D("26.50"), D("16.55"))
    mars_2025 = reimb.exemples_remboursement(niveau_april(1), MARS_2025).iloc[0]
    assert (mars_2025["brss"], mars_2025["amo"]) == (D("30.00"), D("19.00"))


def test_exemples_sans_complementaire_et_avec_une_garantie():
    sans = reimb.exemples_remboursement(None, MARS_2025)
    assert all(sans["amc"] == 0)
    # « RO + 100 % BR » : spécialiste OPTAM 54 € : 100 % × 31,50 = 31,50 € ; reste 54 − 20,05 − 31,50 = 2,45 €.
    g = reimb.Garantie(dptam="RO + 100 % BR", hors_dptam="RO + 50 % BR")
    ligne = reimb.exemples_remboursement(g, MARS_2025).iloc[4]
    assert (ligne["amc"], ligne["reste_a_charge"]) == (D("31.50"), D("2.45"))


# --- Comparaison de contrats --------------------------------------------------------------------------------

def _contrat(nom, generaliste, specialiste):
    d, h = specialiste
    return lire_toml(f'nom = "{nom}"\n[consultation.generaliste]\ndptam = "{generaliste}"\nhors_dptam = "{generaliste}"\n'
                     f'[consultation.specialiste]\ndptam = "{d}"\nhors_dptam = "{h}"\n')


ESSENTIEL = _contrat("Essentiel", "100 % BR", ("100 % BR", "100 % BR"))
CONFORT = _contrat("Confort", "100 % BR", ("RO + 100 % BR", "RO + 50 % BR"))


def test_comparaison_annee_type():
    c = reimb.comparer_garanties([ESSENTIEL, CONFORT], None, MARS_2025)
    # Année type (donnees/profil_type.toml) : 3 généralistes à 30 €, 1 spécialiste OPTAM à 54 €, 1 non adhérent à 67 €.
    # Dépense 3 × 30 + 54 + 67 = 211 € ; Sécu 3 × 19 + 20,05 + 14,10 = 91,15 €.
    # Essentiel (100 % BR partout) : 3 × 9 + 9,45 + 6,90 = 43,35 € ; reste 211 − 91,15 − 43,35 = 76,50 €.
    # Confort : 3 × 9 + 31,50 (100 % × 31,50) + 11,50 (50 % × 23 € ; sous le plafond R.871-2 : limite n° 2,
    # 170 − 20 = 150 % × 23 = 34,50 € au total) = 70 € ; reste 211 − 91,15 − 70 = 49,85 €.
    t = c.totaux
    assert list(t.index) == ["Essentiel", "Confort"]
    assert [t.loc["Essentiel", k] for k in ("depense", "amo", "amc", "reste_a_charge")] == [D("211.00"), D("91.15"), D("43.35"), D("76.50")]
    assert [t.loc["Confort", k] for k in ("amc", "reste_a_charge")] == [D("70.00"), D("49.85")]
    pa = c.par_acte
    assert list(pa.columns) == ["contrat", "libelle", "nombre", "depense", "amo", "amc", "reste_a_charge"]
    gp = pa[(pa["contrat"] == "Confort") & (pa["libelle"].str.startswith("Médecin généraliste"))].iloc[0]
    assert (gp["nombre"], gp["depense"], gp["amc"]) == (3, D("90.00"), D("27.00"))


def test_comparaison_plafond_annuel_sur_l_annee_du_client():
    # « RO + 100 % BR dans la limite de 40 € par an » chez le spécialiste OPTAM, 2 consultations à 54 € :
    # la 1re : 31,50 € ; la 2e : reste 40 − 31,50 = 8,50 € ; total 40 €. Sans plafond : 63 €.
    plafonne = _contrat("Plafonné", "100 % BR", ("RO + 100 % BR dans la limite de 40 € par an", "100 % BR"))
    libre = _contrat("Libre", "100 % BR", ("RO + 100 % BR", "100 % BR"))
    c = reimb.comparer_garanties({"Plafonné": plafonne, "Libre": libre}, [{"exemple": "specialiste_optam", "nombre": 2}], MARS_2025)
    assert c.totaux.loc["Plafonné", "amc"] == D("40.00")
    assert c.totaux.loc["Libre", "amc"] == D("63.00")


def test_comparaison_profil_donne_en_dataframe():
    import pandas as pd

    profil = pd.DataFrame([{"libelle": "Dermatologue OPTAM", "specialite": "specialiste", "secteur": 2, "dptam": "OPTAM",
                            "age": 35, "depense": "60", "nombre": 2}])
    c = reimb.comparer_garanties({"E": ESSENTIEL}, profil, MARS_2025)
    # 2 × (60 − 20,05 − 9,45) = 2 × 30,50 = 61 € de reste à charge avec « 100 % BR ».
    assert c.totaux.loc["E", "reste_a_charge"] == D("61.00")


@pytest.mark.parametrize("tableaux, profil, jour, champ", [
    ([], None, MARS_2025, "tableaux"),
    ("Essentiel", None, MARS_2025, "tableaux"),
    ([ESSENTIEL], None, None, "date"),
    ([ESSENTIEL], [{"exemple": "dentiste"}], MARS_2025, "profil[1].exemple"),
    ([ESSENTIEL], [{"exemple": "specialiste_optam", "nombre": 0}], MARS_2025, "profil[1].nombre"),
    ([ESSENTIEL], [], MARS_2025, "profil"),
])
def test_comparaison_saisies_refusees(tableaux, profil, jour, champ):
    with pytest.raises(reimb.ErreurSaisie) as e:
        reimb.comparer_garanties(tableaux, profil, jour)
    assert e.value.champ == champ


def test_fiche_pdf_une_page_en_francais(tmp_path):
    from pypdf import PdfReader

    c = reimb.comparer_garanties([ESSENTIEL, CONFORT], None, MARS_2025)
    chemin = c.pdf(tmp_path / "fiche.pdf")
    lecteur = PdfReader(str(chemin))
    assert len(lecteur.pages) == 1
    boite = lecteur.pages[0].mediabox
    assert (round(float(boite.width) / 72 * 25.4), round(float(boite.height) / 72 * 25.4)) == (210, 297)   # A4
    texte = " ".join(lecteur.pages[0].extract_text().replace("\u00a0", " ").replace("\u202f", " ").split())
    for fragment in ("comparaison de garanties santé", "1er mars 2025", "Essentiel", "Confort", "Sécurité sociale",
                     "Complémentaire", "Reste à charge", "76,50 €", "49,85 €", "participation forfaitaire (2,00 €",
                     "« RO + 100 % BR »", "Ce que disent vos contrats", "Consultation de spécialiste"):
        assert fragment in texte, fragment
    with pytest.raises(reimb.ErreurSaisie):
        c.pdf(tmp_path / "fiche.txt")
