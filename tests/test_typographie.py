"""La typographie et la langue de ce que voit le stagiaire dans les modules du cours (cellules Markdown).

- Typographie française : pas d'espace ordinaire après « ni avant », ni devant : ; ! ? — une espace insécable
  (U+00A0, ou fine insécable U+202F). Le code, les adresses, les balises HTML et les heures (12:30) sont ignorés.
  Pour corriger : ``python outils/typographie.py notebooks/*.ipynb``.
- Langue du stagiaire : pas de notes internes (« fiche de faits », « à vérifier », « reste à faire »), pas de nom de
  fichier source (``000_…``), pas de corrigé, pas de jargon (« widget », « notebook », « Run All »), pas de consigne
  qui suppose le code visible (« la cellule `assert` », « Maj + Entrée »).
- Cellules de code repliées, sans ``def``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import warnings
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent
NOTEBOOKS = RACINE / "notebooks"

_spec = importlib.util.spec_from_file_location("typographie", RACINE / "outils" / "typographie.py")
typographie = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(typographie)

#: Modules annoncés par la page d'accueil, qui peuvent ne pas encore exister sur une branche.
ATTENDUS_PLUS_TARD = ("06_evaluation", "07_glossaire", "08_garanties")
#: Modules dont la langue et la forme des cellules sont vérifiées ici (les autres ont leurs propres tests).
MODULES_DU_COURS = ("01_secteurs", "02_cas_optam", "03_contrat_responsable", "04_cas_pratiques", "05_population", "08_garanties")

TOUS = sorted(NOTEBOOKS.glob("*.ipynb"))


def _cellules(chemin: Path, genre: str):
    nb = json.loads(chemin.read_text(encoding="utf-8"))
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] == genre:
            source = c["source"]
            yield i, c, "".join(source) if isinstance(source, list) else source


# --- L'outil lui-même ---------------------------------------------------------------------------

@pytest.mark.parametrize("texte, attendu", [
    ("« Non conventionné (« \nsecteur 3 ») »", "«\u00a0Non conventionné («\u00a0secteur 3\u00a0»)\u00a0»"),
    ("Pourquoi ? Voici : a ; b !", "Pourquoi\u00a0? Voici\u00a0: a\u00a0; b\u00a0!"),
    ("ligne\n: suite", "ligne\u00a0: suite"),
    ("à 12:30, `x : y`, [lien](https://a.fr/b?c=1) et https://x.fr/a:b", "à 12:30, `x : y`, [lien](https://a.fr/b?c=1) et https://x.fr/a:b"),
    ("| :--- | ![image](a.png) <b title='a : b'>x</b>", "| :--- | ![image](a.png) <b title='a : b'>x</b>"),
    ("déjà\u00a0: juste\u202f; «\u00a0bon\u00a0»", "déjà\u00a0: juste\u202f; «\u00a0bon\u00a0»"),
])
def test_corriger(texte, attendu):
    assert typographie.corriger(texte) == attendu
    assert typographie.fautes(attendu) == []


def test_fautes_trouvees():
    assert len(typographie.fautes("« a » et b : c ?")) == 4


# --- Les notebooks --------------------------------------------------------------------------------

def test_modules_attendus():
    noms = {p.stem for p in TOUS}
    for nom in MODULES_DU_COURS:
        assert nom in noms
    manquants = [nom for nom in ATTENDUS_PLUS_TARD if nom not in noms]
    if manquants:
        warnings.warn(f"modules pas encore là (typographie non vérifiée) : {', '.join(manquants)}", stacklevel=1)


@pytest.mark.parametrize("chemin", TOUS, ids=lambda p: p.stem)
def test_typographie_francaise(chemin):
    fautes = [f"cellule {i} : …{f}…" for i, _c, texte in _cellules(chemin, "markdown") for f in typographie.fautes(texte)]
    assert not fautes, (
        f"{chemin.name} : {len(fautes)} espace(s) ordinaire(s) à remplacer par une insécable "
        f"(python outils/typographie.py notebooks/{chemin.name}) :\n" + "\n".join(fautes[:20])
    )


INTERDITS = [
    (re.compile(r"fiche de faits", re.I), "note interne « fiche de faits »"),
    (re.compile(r"à vérifier", re.I), "note interne « à vérifier »"),
    (re.compile(r"reste à faire", re.I), "note interne « reste à faire »"),
    (re.compile(r"\b00\d_[0-9a-f]"), "nom de fichier source"),
    (re.compile(r"source 00\d"), "source citée par un numéro de fichier"),
    (re.compile(r"corrigé", re.I), "corrigé visible par le stagiaire"),
    (re.compile(r"\bwidgets?\b", re.I), "jargon « widget » (dire « exemple interactif »)"),
    (re.compile(r"\bnotebooks?\b", re.I), "jargon « notebook » (dire « module » ou « page »)"),
    (re.compile(r"Run All|Run →", re.I), "menu en anglais"),
    (re.compile(r"cellule `?assert|Maj \+ Entrée|exécutez la cellule", re.I), "consigne qui suppose le code visible"),
]


@pytest.mark.parametrize("nom", MODULES_DU_COURS)
def test_langue_du_stagiaire(nom):
    chemin = NOTEBOOKS / f"{nom}.ipynb"
    trouves = [
        f"cellule {i} : {pourquoi} — …{texte[max(0, m.start() - 40):m.end() + 20]}…"
        for i, _c, texte in _cellules(chemin, "markdown")
        for motif, pourquoi in INTERDITS
        for m in motif.finditer(texte)
    ]
    assert not trouves, "\n".join(trouves)


@pytest.mark.parametrize("nom", MODULES_DU_COURS)
def test_cellules_de_code_repliees_sans_def(nom):
    chemin = NOTEBOOKS / f"{nom}.ipynb"
    for i, cellule, source in _cellules(chemin, "code"):
        assert cellule["metadata"].get("jupyter", {}).get("source_hidden") is True, f"{nom}, cellule {i} : non repliée"
        assert not re.search(r"^\s*def ", source, re.M), f"{nom}, cellule {i} : une fonction définie dans le module"
        if re.search(r"^\s*assert ", source, re.M):
            premiere = source.lstrip().splitlines()[0]
            assert premiere.startswith("# Vérification"), f"{nom}, cellule {i} : une vérification sans commentaire qui dise sa source"
