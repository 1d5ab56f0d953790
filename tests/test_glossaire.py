"""Le glossaire : au moins 40 termes, chacun défini et sourcé avec une adresse ; une seule source pour ses pages."""

import re

import pytest

from reimb import glossaire
from reimb.erreurs import ErreurSaisie

# Les termes que demande le cours (issue 14) : chacun doit se trouver par son nom ou son sigle.
DEMANDES = ["BRSS", "tarif opposable", "secteur 1", "secteur 2", "DP", "DPTAM", "CAS", "OPTAM", "OPTAM-ACO",
            "dépassement d'honoraires", "DA", "DE", "tarif d'autorité", "AMO", "AMC", "RO", "TM",
            "participation forfaitaire", "franchise médicale", "parcours de soins coordonnés", "médecin traitant", "ALD",
            "CSS", "tiers payant", "contrat responsable", "principe indemnitaire", "100 % Santé", "forfait journalier hospitalier",
            "RC", "reste à charge"]


def test_au_moins_40_termes():
    assert len(glossaire.termes()) >= 40


def test_chaque_terme_a_une_definition_et_une_source_avec_adresse():
    for t in glossaire.termes():
        assert len(t.definition) > 40, t.terme
        assert t.reference.texte
        assert re.fullmatch(r"https?://[^\s\"<>]+", t.reference.url), t.terme
        assert re.match(r"https?://(www\.)?(legifrance\.gouv\.fr|service-public\.fr|ameli\.fr|annuairesante\.ameli\.fr|"
                        r"complementaire-sante-solidaire\.gouv\.fr)/", t.reference.url), t.reference.url


def test_pas_de_notes_internes():
    for t in glossaire.termes():
        for texte in (t.definition, t.reference.texte):
            assert "fiche de faits" not in texte and "à vérifier" not in texte and ".txt" not in texte


@pytest.mark.parametrize("nom", DEMANDES)
def test_termes_demandes(nom):
    assert glossaire.terme(nom).definition


def test_termes_uniques_et_renvois_valides():
    noms = [t.terme for t in glossaire.termes()]
    assert len(noms) == len(set(noms))
    for t in glossaire.termes():
        for v in t.voir:
            glossaire.terme(v)


def test_recherche_sans_accents_ni_casse():
    assert glossaire.terme("secu").sigle == "AMO"
    assert glossaire.terme("ticket moderateur").sigle == "TM"
    assert glossaire.chercher("20 points")[0].terme == "Double limite"
    with pytest.raises(ErreurSaisie, match="glossaire"):
        glossaire.terme("inconnu")


def test_brss_n_est_pas_confondue_avec_le_tarif_opposable():
    """Relecture du cours (constat 24) : la base d'un non-adhérent n'est pas le tarif opposable."""
    assert "tarif opposable" not in glossaire.terme("BRSS").aussi
    assert "non adhérent" in glossaire.terme("tarif opposable").definition


def test_page_imprimable(tmp_path):
    from reimb.presentation import glossaire_page

    sortie = tmp_path / "glossaire.html"
    assert glossaire_page.main(["--sortie", str(sortie)]) == 0
    html = sortie.read_text(encoding="utf-8")
    assert html.count("<dt ") == len(glossaire.termes())
    assert 'href="https://www.service-public.fr/particuliers/vosdroits/F165"' in html
    assert "Participation forfaitaire (PF)" in html


def test_affichage_notebook():
    from reimb.presentation import glossaire_page

    a = glossaire_page.affichage()
    assert a.html.startswith('<dl class="reimb-glossaire">')
    assert "Ticket modérateur (TM)\u00a0:" in repr(a)


def test_ancres_uniques_et_propres():
    ancres = [t.ancre for t in glossaire.termes()]
    assert len(ancres) == len(set(ancres))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a) for a in ancres)
    assert glossaire.lien("100 % Santé") == "07_glossaire.ipynb#100-sante"
