"""Réexécuter les notebooks du cours comme nbval les attend : noyau neuf, de haut en bas, état des widgets gardé.

Quand la bibliothèque change (un texte de règle, une référence, un montant), les sorties enregistrées des
notebooks ne correspondent plus et nbval strict échoue : il faut les réexécuter et relire le diff.

    .venv/bin/python -m reimb.presentation.executer notebooks/0[0-4]*.ipynb

Une sortie d'erreur (exception, ``stderr``) arrête tout : rien n'est enregistré pour ce notebook.
Les métadonnées d'exécution (horodatages) sont retirées, pour des diffs lisibles.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def executer(chemin: Path, delai: int = 300) -> float:
    """Exécute un notebook dans son dossier, l'enregistre, et renvoie la durée (s)."""
    import nbformat
    from nbclient import NotebookClient

    debut = time.perf_counter()
    nb = nbformat.read(chemin, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=delai, store_widget_state=True,
                            resources={"metadata": {"path": str(chemin.parent)}})
    client.execute()
    for cellule in nb.cells:
        if cellule.cell_type != "code":
            continue
        cellule.metadata.pop("execution", None)
        for sortie in cellule.outputs:
            if sortie.output_type == "error" or sortie.get("name") == "stderr":
                raise RuntimeError(f"{chemin.name} : sortie d'erreur dans la cellule « {cellule.source[:60]} »")
    nbformat.write(nb, chemin)
    return time.perf_counter() - debut


def main(arguments: list[str]) -> int:
    if not arguments:
        print(__doc__)
        return 2
    for nom in arguments:
        duree = executer(Path(nom))
        print(f"{nom} : exécuté et enregistré en {duree:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
