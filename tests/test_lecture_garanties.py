"""Les tableaux et widgets du notebook 08 (reimb.presentation.lecture_garanties) : ils recalculent avec reimb."""

from __future__ import annotations

from decimal import Decimal as D

from reimb.presentation import lecture_garanties as L


def test_formulations_une_consultation():
    a = L.formulations(("200 % BR", "RO + 100 % BR"))
    # Spécialiste OPTAM 54 € (1er mars 2025) : « 200 % BR » = min(54 ; 63) − 22,05 = 31,95 € ;
    # « RO + 100 % BR » = 100 % × 31,50 = 31,50 €.
    assert list(a.donnees["amc"]) == [D("31.95"), D("31.50")]
    assert "en plus de la Sécurité sociale" in a.html


def test_lire_formulation_interactif_recalcule_et_affiche_les_refus():
    w = L.lire_formulation_interactif()
    assert 'data-amc="31.50"' in w.sortie.value
    w.controles["texte"].value = "100 % TM"
    assert 'data-amc="9.45"' in w.sortie.value          # TM = 31,50 − 22,05
    w.controles["texte"].value = "150 % BR en Suisse"
    assert "reimb-erreur" in w.sortie.value and "RO + 100 % BR" in w.sortie.value
    w.controles["texte"].value = "RO + 100 % BR"
    w.controles["medecin"].value = "generaliste"
    w.controles["depense"].value = "30"
    # Généraliste à 30 € : 100 % × 30 = 30 € mais la dépense laissée par la Sécu n'est que 9 €.
    assert 'data-amc="9.00"' in w.sortie.value and "principe indemnitaire" in w.sortie.value


def test_comparaison_interactive_et_fiche(tmp_path):
    w = L.comparaison_interactive(fichier=str(tmp_path / "fiche.pdf"))
    assert "Confort" in w.sortie.value and "Sérénité" in w.sortie.value
    w.controles["specialiste_optam"].value = 0
    w.controles["specialiste_non_optam"].value = 0
    # 3 généralistes à 30 € : 3 × 9 € de complémentaire chez les deux (150 % BR plafonné à la dépense ; 100 % TM).
    assert list(w.comparaison.totaux["amc"]) == [D("27.00"), D("27.00")]
    w.fiche()
    assert (tmp_path / "fiche.pdf").exists() and "fiche.pdf" in w.lien.value


def test_exercices_correction_seulement_apres_une_reponse():
    q1, q2, q3 = L.exercices()
    assert (q1.attendu, q2.attendu, q3.attendu) == (D("31.50"), D("6.90"), D("18.50"))   # 50 − 31,50 = 18,50
    assert q1.correction.disabled
    q1.montrer_correction()
    assert "Correction" not in q1.sortie.value
    q1.reponse.value = "30"
    assert q1.corriger() is False and not q1.correction.disabled
    q1.montrer_correction()
    assert "31,50" in q1.sortie.value
    q2.reponse.value = "6,90"
    assert q2.corriger() is True
