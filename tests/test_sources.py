"""La page « Sources » et la langue du stagiaire dans la table des paramètres."""

import re

import pytest

from reimb.parametres import toutes_les_series
from reimb.presentation.sources import page, sources

INTERNE = re.compile(r"fiche de faits|domain-facts|reste à faire|\b00[0-4]_|source 00[0-4]", re.IGNORECASE)


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
