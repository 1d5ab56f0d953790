"""Les questions du cours (reimb.presentation.questions_cours) : chacune se construit, ses réponses sont celles
d'une source ou d'un calcul à la main écrit ici, et le corrigé du formateur est à jour."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

import reimb
from reimb.presentation import questions_cours

RACINE = Path(__file__).resolve().parent.parent
CORRIGE = RACINE / "docs" / "formateur" / "corrige_cours.md"

# Les montants attendus de chaque question, avec leur origine.
ATTENDUS = {
    # Article sur la réforme des contrats responsables de 2015 (002_ba0c1914aa323f03.txt), CAS, garantie 125 % :
    # complémentaire 15,40 €, reste à charge 16 €.
    "00-q1": {"amc": D("15.40"), "reste_a_charge": D("16.00")},
    # 70 % × 23 − 2 = 14,10 (homeprotection.fr, cité par tarifs.toml : « 14,10 € = 70 % × 23 − 2 »).
    "01-q1": {"amo": D("14.10")},
    # 70 % × 31,50 = 22,05 (ameli, service-public) ; − 2 = 20,05 ; reste 60 − 20,05 = 39,95.
    "01-q2": {"amo": D("20.05"), "reste_a_charge": D("39.95")},
    # Psychiatre secteur 1, 2026 : base 57 € (domain-facts §12 : 55 € → 57 € le 1er janvier 2026) ;
    # 70 % × 57 = 39,90 − 2 = 37,90.
    "01-q3": {"amo": D("37.90")},
    # Page d'assureur sur le CAS (000_e53873f15d9090c1.txt), non-adhérent 40 €, 2016 : Sécu 70 % × 23 − 1 = 15,10 ;
    # mutuelle 100 % : 23 − 16,10 = 6,90 ; reste 40 − 15,10 − 6,90 = 18.
    "02-q1": {"amc": D("6.90"), "reste_a_charge": D("18.00")},
    # Même page, adhérent : Sécu 70 % × 28 − 1 = 18,60 (« 18,60€ ») ; mutuelle 28 − 19,60 = 8,40 ; reste 40 − 27 = 13.
    "02-q2": {"reste_a_charge": D("13.00")},
    # 2026, non-adhérent, 150 % ramené à 150 − 20 = 130 % (R.871-2) : 130 % × 23 = 29,90 ; mutuelle 29,90 − 16,10
    # = 13,80 ; Sécu 16,10 − 2 = 14,10 ; reste 60 − 14,10 − 13,80 = 32,10.
    "03-q1": {"amc": D("13.80"), "reste_a_charge": D("32.10")},
    # 2026, « 200 % pour tous » en contrat responsable : 200 − 20 = 180 % ; 180 % × 23 = 41,40 − 16,10 = 25,30.
    "03-q2": {"amc": D("25.30")},
    # Article de 2015 (002), hypothèse 2 à 60 € : 29,90 − 16,10 = 13,80 ; reste 60 − 15,10 − 13,80 = 31,10.
    "03-q3": {"amc": D("13.80"), "reste_a_charge": D("31.10")},
    # Hors parcours : 30 % × 30 = 9 − 2 = 7 ; majoration 40 % × 30 = 12 exclue ; mutuelle 30 − 9 − 12 = 9 ; reste 14.
    "04-cas1": {"amo": D("7.00"), "amc": D("9.00"), "reste_a_charge": D("14.00")},
    # CSS : 70 % × 30 = 21, pas de participation ; CSS 9 ; reste 0.
    "04-cas2": {"amo": D("21.00"), "amc": D("9.00"), "reste_a_charge": D("0.00")},
    # Moins de 16 ans : pas de pénalité hors parcours, 70 % × 30 = 21 ; moins de 18 ans : pas de participation ; reste 0.
    "04-cas3": {"amo": D("21.00"), "reste_a_charge": D("0.00")},
    # ALD : 100 % × 30 = 30 − 2 = 28 ; reste 2.
    "04-cas4": {"amo": D("28.00"), "reste_a_charge": D("2.00")},
    # Tarif d'autorité 0,61 (arrêté du 1er décembre 2006) ; 70 % × 0,61 = 0,427 → 0,43 < 2 : Sécu 0 ; reste 60.
    "04-cas5": {"brss": D("0.61"), "amo": D("0.00"), "reste_a_charge": D("60.00")},
    # domain-facts, exemples vérifiés 1 et 2 : 70 % × 26,50 = 18,55 ; − 1 € = 17,55 (mars) ; − 2 € = 16,55 (juin).
    "04-cas6a": {"amo": D("17.55")},
    "04-cas6b": {"amo": D("16.55")},
    # Maternité, gynécologue OPTAM 2026 (base 40 €, tarifs.toml) : 100 % × 40 = 40, pas de participation ;
    # ticket modérateur 0 : mutuelle 100 % → 0 ; reste 50 − 40 = 10.
    "04-cas7": {"amo": D("40.00"), "amc": D("0.00"), "reste_a_charge": D("10.00")},
}


def test_chaque_question_a_ses_montants_attendus():
    assert set(ATTENDUS) == {q.id for q in questions_cours.QUESTIONS}


@pytest.mark.parametrize("id_", list(ATTENDUS))
def test_reponses(id_):
    q = questions_cours.definition(id_)
    d = questions_cours.decompte(id_)
    assert set(q.champs) == set(ATTENDUS[id_])
    assert {c: getattr(d, c) for c in q.champs} == ATTENDUS[id_]
    assert d.amo + d.amc + d.reste_a_charge == d.honoraires


@pytest.mark.parametrize("id_", list(ATTENDUS))
def test_la_question_se_construit(id_):
    pytest.importorskip("ipywidgets")
    w = questions_cours.question(id_)
    q = questions_cours.definition(id_)
    assert w.attendu == ATTENDUS[id_]
    assert w.indice == q.indice
    # Rien de la réponse avant un essai : ni indice, ni montant attendu dans l'affichage initial.
    assert "Indice" not in w.sortie.value
    assert not any(reimb.presentation.format.euros(v) in w.sortie.value for v in ATTENDUS[id_].values())


def test_identifiant_inconnu():
    with pytest.raises(reimb.ErreurSaisie) as e:
        questions_cours.decompte("99-q9")
    assert e.value.champ == "question" and "01-q1" in e.value.acceptes


def test_typographie_des_textes():
    for q in questions_cours.QUESTIONS:
        for texte in (q.enonce, q.indice, q.explication):
            assert " :" not in texte and " ?" not in texte and "« " not in texte and " »" not in texte, (q.id, texte)
    assert "\u00a0\u00a0" not in questions_cours.corrige()  # une seule insécable, même appliquée deux fois


def test_le_corrige_est_a_jour():
    """Le fichier commité est celui que le module écrit aujourd'hui (sinon : relancer la commande du module)."""
    attendu = questions_cours.corrige()
    assert CORRIGE.read_text(encoding="utf-8") == attendu, (
        "docs/formateur/corrige_cours.md est périmé : python -m reimb.presentation.questions_cours "
        "--sortie docs/formateur/corrige_cours.md"
    )
    for id_, montants in ATTENDUS.items():
        assert f"### {id_}" in attendu
        section = attendu.split(f"### {id_}")[1].split("### ")[0]
        for v in montants.values():
            assert reimb.presentation.format.euros(v) in section


def test_la_commande_ecrit_le_corrige(tmp_path):
    sortie = tmp_path / "corrige.md"
    subprocess.run([sys.executable, "-m", "reimb.presentation.questions_cours", "--sortie", str(sortie)], check=True, cwd=RACINE)
    assert sortie.read_text(encoding="utf-8") == CORRIGE.read_text(encoding="utf-8")
