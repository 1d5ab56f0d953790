"""La typographie française des cellules Markdown du cours : espaces insécables autour des guillemets et
devant les ponctuations hautes.

- après « et avant » : une espace insécable (U+00A0) ;
- devant : ; ! ? : une espace insécable (U+00A0) ou fine insécable (U+202F).

Le code (entre accents graves ou en bloc), les adresses (cible d'un lien Markdown, URL nue), les balises
HTML et les heures (« 12:30 ») ne sont pas touchés.

    python outils/typographie.py notebooks/*.ipynb             # corrige les cellules Markdown en place
    python outils/typographie.py --verifier notebooks/*.ipynb  # liste les fautes ; code de sortie 1 s'il y en a

``tests/test_typographie.py`` importe :func:`fautes` et :func:`corriger`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

NBSP = "\u00a0"

#: Ce qu'on ne touche pas : bloc de code, code en ligne, cible d'un lien ou d'une image, URL, balise HTML.
PROTEGE = re.compile(
    r"```.*?```"
    r"|`[^`\n]*`"
    r"|\]\([^)\s]*\)"
    r"|<https?://[^>]*>"
    r"|https?://[^\s)<>\]]+"
    r"|<[a-zA-Z/!][^<>]*>",
    re.S,
)
_INSECABLES = "\u00a0\u202f"
# Une ponctuation haute suivie d'une fin de mot : « 12:30 », « :--- » (tableaux) ou « ![image] » n'en sont pas.
_PONCTUATION = r"[:;!?](?=\s|$|[»*_)\]\u00a0\u202f,.])"
# Les fautes : une espace ordinaire (ou une fin de ligne) là où il faut une insécable.
FAUTES = re.compile(rf"«[ \t\n]|[ \t\n]»|(?<![\s|(\[{_INSECABLES}])[ \t\n]+{_PONCTUATION}")


def morceaux(texte: str):
    """Le texte coupé en morceaux ``(texte, protégé)`` : seuls les morceaux libres sont vérifiés et corrigés."""
    debut = 0
    for m in PROTEGE.finditer(texte):
        yield texte[debut:m.start()], False
        yield m.group(), True
        debut = m.end()
    yield texte[debut:], False


def _corriger_libre(t: str) -> str:
    t = re.sub(rf"«[ \t]*\n?[ \t]*(?![{_INSECABLES}])", "«" + NBSP, t)
    t = re.sub(rf"(?<![{_INSECABLES}\s])[ \t]*\n?[ \t]*»", NBSP + "»", t)
    t = re.sub(rf"(?<![\s|(\[{_INSECABLES}])[ \t]*\n?[ \t]*(?={_PONCTUATION})", NBSP, t)
    return t


def corriger(texte: str) -> str:
    """Le texte Markdown avec les espaces insécables de la typographie française, hors code, liens et HTML."""
    return "".join(m if protege else _corriger_libre(m) for m, protege in morceaux(texte))


def fautes(texte: str) -> list[str]:
    """Les fautes d'un texte Markdown, hors code, liens et HTML : un extrait (⏎ pour une fin de ligne) par faute."""
    return [
        m[max(0, f.start() - 30):f.end() + 10].replace("\n", "⏎")
        for m, protege in morceaux(texte) if not protege
        for f in FAUTES.finditer(m)
    ]


def cellules_markdown(chemin: Path):
    """Les cellules Markdown d'un notebook : ``(numéro, texte)``."""
    nb = json.loads(Path(chemin).read_text(encoding="utf-8"))
    for i, cellule in enumerate(nb["cells"]):
        if cellule["cell_type"] == "markdown":
            source = cellule["source"]
            yield i, "".join(source) if isinstance(source, list) else source


def corriger_notebook(chemin: Path) -> int:
    """Corrige en place les cellules Markdown d'un notebook (par nbformat) ; rend le nombre de cellules changées."""
    import nbformat

    nb = nbformat.read(chemin, as_version=4)
    changees = 0
    for cellule in nb.cells:
        if cellule.cell_type == "markdown":
            nouveau = corriger(cellule.source)
            if nouveau != cellule.source:
                cellule.source = nouveau
                changees += 1
    if changees:
        nbformat.write(nb, chemin)
    return changees


def main(args: list[str]) -> int:
    verifier = "--verifier" in args
    total = 0
    for chemin in (Path(a) for a in args if not a.startswith("--")):
        if verifier:
            for i, texte in cellules_markdown(chemin):
                for f in fautes(texte):
                    print(f"{chemin.name}, cellule {i} : …{f}…")
                    total += 1
        else:
            print(f"{chemin.name} : {corriger_notebook(chemin)} cellule(s) corrigée(s)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
