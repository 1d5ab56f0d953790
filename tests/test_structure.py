"""La forme du code que l'issue 10 demande de garder : aucune fonction de ``reimb/`` au-delà de 100 lignes, ``lot.py``
sous 700 lignes (le lot ne fait que lire et écrire des colonnes ; les règles sont dans ``reimb/regles``)."""

import ast
from pathlib import Path

import reimb

RACINE = Path(reimb.__file__).parent


def test_aucune_fonction_de_plus_de_100_lignes():
    longues = []
    for chemin in sorted(RACINE.rglob("*.py")):
        for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
            if isinstance(noeud, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lignes = noeud.end_lineno - noeud.lineno + 1
                if lignes > 100:
                    longues.append(f"{chemin.relative_to(RACINE)}:{noeud.lineno} {noeud.name} ({lignes} lignes)")
    assert not longues, longues


def test_lot_sous_700_lignes():
    assert len((RACINE / "lot.py").read_text(encoding="utf-8").splitlines()) < 700
