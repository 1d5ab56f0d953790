"""Le glossaire affiché : dans un notebook (tableau HTML, texte ailleurs) et en page HTML imprimable.

    .venv/bin/python -m reimb.presentation.glossaire_page --sortie docs/formateur/glossaire.html

Tout vient de :func:`reimb.glossaire.termes` : une seule source pour chaque page.
"""

from __future__ import annotations

import argparse
import sys
from html import escape
from pathlib import Path

from ..evaluation import typo
from ..glossaire import Terme, termes
from .tableaux import Affichage

STYLE = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 10.5pt; line-height: 1.4; margin: 1.5cm; color: #111; }
h1 { font-size: 18pt; margin-bottom: 0.2em; }
dl.reimb-glossaire dt { font-weight: bold; margin-top: 0.7em; }
dl.reimb-glossaire dd { margin: 0.15em 0 0 1.2em; }
.reimb-glossaire .source { font-size: 85%; color: #444; }
.reimb-glossaire .aussi { font-style: italic; font-weight: normal; color: #444; }
@media print { a { color: #111; } dt, dd { break-inside: avoid; } }
"""


def _entree_html(t: Terme) -> str:
    aussi = f' <span class="aussi">— aussi : {escape(", ".join(t.aussi))}</span>' if t.aussi else ""
    voir = f" Voir aussi : {escape(', '.join(t.voir))}." if t.voir else ""
    return (
        f'<dt id="{escape(t.ancre, quote=True)}">{escape(typo(t.intitule))}{aussi}</dt>'
        f"<dd>{escape(typo(t.definition))}{voir}<br>"
        f'<span class="source">Source : <a href="{escape(t.reference.url, quote=True)}">{escape(typo(t.reference.texte))}</a></span></dd>'
    )


def html_liste(liste: tuple[Terme, ...] | None = None) -> str:
    """La liste de définitions HTML (sans en-tête de page)."""
    liste = termes() if liste is None else liste
    return '<dl class="reimb-glossaire">' + "".join(_entree_html(t) for t in liste) + "</dl>"


def texte(liste: tuple[Terme, ...] | None = None) -> str:
    """Le glossaire en texte brut (terminal, nbval)."""
    liste = termes() if liste is None else liste
    return "\n".join(typo(f"{t.intitule} : {t.definition}\n    Source : {t.reference}") for t in liste)


def affichage(liste: tuple[Terme, ...] | None = None) -> Affichage:
    """Pour un notebook : le HTML dans Jupyter, le texte ailleurs."""
    liste = termes() if liste is None else liste
    return Affichage(html_liste(liste), texte(liste), liste)


def page_html() -> str:
    """Une page HTML autonome, imprimable (A4), avec ses liens vers les sources."""
    liste = termes()
    sommaire = " · ".join(f'<a href="#{escape(t.ancre, quote=True)}">{escape(t.sigle or t.terme)}</a>' for t in liste)
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        "<title>Glossaire — le remboursement d'une consultation</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        "<h1>Glossaire — le remboursement d'une consultation</h1>\n"
        f"<p>{len(liste)} termes, chacun avec sa source. Les montants du jour sont sur la fiche mémo.</p>\n"
        f'<p class="sommaire">{sommaire}</p>\n{html_liste(liste)}\n</body>\n</html>\n'
    )


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit le glossaire en page HTML imprimable.")
    parser.add_argument("--sortie", default="glossaire.html", help="le fichier HTML à écrire")
    args = parser.parse_args(arguments)
    chemin = Path(args.sortie)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_text(page_html(), encoding="utf-8")
    print(f"{chemin} écrit ({len(termes())} termes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
