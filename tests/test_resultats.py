"""La commande du formateur : un dossier de relevés → un tableau CSV ou XLSX (nom, date, score, compétences, durée)."""

import csv
from datetime import date, datetime, timedelta, UTC

import pytest

from reimb.evaluation import COMPETENCES, Evaluation
from reimb.presentation import resultats

JOUR = date(2026, 3, 2)
DEBUT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def dossier(tmp_path):
    d = tmp_path / "resultats"
    # Camille : tout juste en 35 min ; Paul : la question 2 avec la participation forfaitaire oubliée, en 41 min 40 s.
    camille = Evaluation(nom="Camille Martin", jour=JOUR, debut=DEBUT)
    for q in camille.questions:
        camille.repondre(q.numero, {k: str(v) for k, v in q.attendu.items()})
    camille.enregistrer(d, fin=DEBUT + timedelta(minutes=35), attestation=False)
    paul = Evaluation(nom="Paul Durand", jour=JOUR, debut=DEBUT)
    for q in paul.questions[:5]:
        if q.competence == "part_secu":
            erreur = next(e for e in q.erreurs if e.code == "avant_pf")
            paul.repondre(q.numero, {k: str(v) for k, v in erreur.reponse.items()})
        else:
            paul.repondre(q.numero, {k: str(v) for k, v in q.attendu.items()})
    paul.enregistrer(d, fin=DEBUT + timedelta(minutes=41, seconds=40), attestation=False)
    (d / "notes.json").write_text("{\"autre\": 1}", encoding="utf-8")  # un fichier étranger : sauté
    return d


def test_csv(dossier, tmp_path, capsys):
    sortie = tmp_path / "resultats.csv"
    assert resultats.main([str(dossier), "--sortie", str(sortie)]) == 0
    sortie_console = capsys.readouterr()
    assert "2 relevés" in sortie_console.out and "notes.json sauté" in sortie_console.err
    with sortie.open(encoding="utf-8-sig", newline="") as f:
        lignes = list(csv.reader(f, delimiter=";"))
    entetes, *rangs = lignes
    assert entetes[:6] == ["Nom", "Date", "Score (/100)", "Durée (min)", "Questions justes", "Questions"]
    assert all(libelle in entetes for libelle in COMPETENCES.values())
    par_nom = {r[0]: dict(zip(entetes, r)) for r in rangs}
    assert par_nom["Camille Martin"]["Score (/100)"] == "100,00" and par_nom["Camille Martin"]["Durée (min)"] == "35"
    # Paul : 4 justes sur 10 → 40 ; 41 min 40 s → 42 min.
    paul = par_nom["Paul Durand"]
    assert (paul["Date"], paul["Score (/100)"], paul["Durée (min)"], paul["Questions justes"]) == ("02/03/2026", "40,00", "42", "4")
    assert paul[COMPETENCES["part_secu"]] == "0/1" and paul[COMPETENCES["base"]] == "1/1"
    assert paul["Q2 — erreur relevée"] == "remboursement Sécu avant participation forfaitaire"
    assert paul["Q10 — erreur relevée"] == "sans réponse"


def test_xlsx(dossier, tmp_path):
    from openpyxl import load_workbook

    sortie = tmp_path / "resultats.xlsx"
    chemin, n, sautes = resultats.rassembler(dossier, sortie)
    assert n == 2 and len(sautes) == 1
    feuille = load_workbook(chemin).active
    entetes = [c.value for c in feuille[1]]
    rangs = {r[0]: dict(zip(entetes, r)) for r in feuille.iter_rows(min_row=2, values_only=True)}
    assert rangs["Camille Martin"]["Score (/100)"] == 100
    assert rangs["Paul Durand"]["Score (/100)"] == 40 and rangs["Paul Durand"]["Durée (min)"] == 42
    assert rangs["Paul Durand"]["Date"].date() == JOUR


def test_sortie_ou_dossier_refuses(dossier, tmp_path):
    assert resultats.main([str(dossier), "--sortie", str(tmp_path / "x.pdf")]) == 2
    assert resultats.main([str(tmp_path / "absent"), "--sortie", str(tmp_path / "x.csv")]) == 2


def test_dossier_vide(tmp_path):
    (tmp_path / "vide").mkdir()
    chemin, n, _ = resultats.rassembler(tmp_path / "vide", tmp_path / "r.csv")
    assert n == 0 and chemin.read_text(encoding="utf-8-sig").startswith("Nom;Date")
