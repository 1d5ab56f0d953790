"""La page « Sources » et la langue du stagiaire dans la table des paramètres."""

import re

import pytest

from reimb.parametres import toutes_les_series
from reimb.presentation.sources import page, sources

INTERNE = re.compile(r"fiche de faits|domain-facts|reste à faire|à vérifier|\b00[0-4]_|source 00[0-4]", re.IGNORECASE)


def test_chaque_source_a_une_adresse():
    for s in sources():
        assert s.url.startswith(("https://", "http://")), s.cle
        assert s.titre and s.editeur and s.genre in {"loi", "administration", "profession", "presse", "assureur"}


def test_les_sources_officielles_sont_citees_par_la_table():
    cites = {s.cle: s.valeurs for s in sources()}
    for cle in ("CSS", "F17042", "décret n° 2014-1374", "Arrêté du 1er décembre 2006"):
        assert cites[cle] > 0, cle


@pytest.mark.parametrize("nom, valeurs", sorted(toutes_les_series().items()))
def test_references_en_langue_du_stagiaire(nom, valeurs):
    # Ce que voit le stagiaire (la source d'une étape) : pas de note interne ni de nom de fichier.
    for v in valeurs:
        assert not INTERNE.search(v.reference), (nom, v.reference)


def test_page_des_sources():
    p = page()
    assert "<a href='https://www.service-public.fr/particuliers/vosdroits/F17042'" in p.html
    assert "Textes officiels" in p.texte


def test_etapes_en_langue_du_stagiaire():
    # Les étapes d'un décompte (règle et source) : aucune note interne, quel que soit le cas.
    from datetime import date

    import reimb

    cas = [
        dict(honoraires="60", date=date(2026, 3, 2), acte="consultation_longue", medecin=reimb.Medecin(secteur=1),
             patient=reimb.Patient(age=85), garantie=reimb.Garantie(dptam=100, hors_dptam=100)),
        dict(honoraires="60", date=date(2025, 2, 10), medecin=reimb.Medecin(secteur=3), garantie=reimb.Garantie()),
        dict(honoraires="50", date=date(2016, 3, 1), medecin=reimb.Medecin(secteur=2, specialite="specialiste"),
             parcours=False, patient=reimb.Patient(age=45, css=False, ald=True),
             garantie=reimb.Garantie(dptam=300, hors_dptam=300)),
        dict(honoraires="30", date=date(2026, 3, 2), medecin=reimb.Medecin(secteur=1), parcours=False,
             patient=reimb.Patient(age=30, css=True)),
        dict(honoraires="35", date=date(2026, 3, 2), medecin=reimb.Medecin(secteur=1), patient=reimb.Patient(age=3)),
    ]
    for kwargs in cas:
        d = reimb.decompte(**kwargs)
        for e in d.etapes:
            assert not INTERNE.search(e.regle) and not INTERNE.search(e.source), (e.libelle, e.regle, e.source)
            assert "à vérifier" not in e.regle + e.source and "choix du projet" not in e.regle + e.source, e


def test_aucune_note_interne_dans_les_pages_du_cours():
    # Ce que voit le stagiaire : le texte des pages et leurs sorties enregistrées (tableaux, décomptes, rapports).
    import json
    from pathlib import Path

    motif = re.compile(r"à vérifier|fiche de faits|non établi|reste à faire|domain-facts|choix du projet|"
                       r"a_verifier|\b00[0-4]_", re.IGNORECASE)
    for chemin in sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb")):
        for cellule in json.loads(chemin.read_text(encoding="utf-8"))["cells"]:
            textes = ["".join(cellule["source"])] if cellule["cell_type"] == "markdown" else []
            for sortie in cellule.get("outputs", []):
                textes += ["".join(v) if isinstance(v, list) else v
                           for k, v in sortie.get("data", {}).items() if k.startswith("text")]
            for texte in textes:
                trouve = motif.search(texte)
                assert not trouve, f"{chemin.name} : « {texte[max(0, trouve.start() - 60):trouve.end() + 30]} »"


def test_reserves_du_rapport_pour_le_formateur_seulement():
    from datetime import date

    import reimb
    from reimb.presentation.tableaux import rapport_html, rapport_texte

    r = reimb.verifier_responsable(reimb.charger_garanties(reimb.garanties.exemple()), date(2026, 3, 2))
    assert any(c.a_verifier for c in r)
    assert "Réserve" not in rapport_html(r) and "réserve" not in rapport_texte(r)
    assert "Réserve (formateur)" in rapport_html(r, reserves=True)
