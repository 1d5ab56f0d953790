"""Binder, sans Docker : un environnement neuf construit avec les seuls fichiers de ``binder/``.

Comme repo2docker : ``python -m venv``, ``pip install -r binder/requirements.txt``, puis
``binder/postBuild`` lancé à la racine d'une copie du dépôt. On vérifie ensuite que l'extension
JupyterLab des widgets y est activée (et Voilà, pour le mode application), que ``reimb`` vient bien
du paquet installé, et on exécute chaque notebook du cours dans cet environnement (une erreur dans
une cellule fait échouer le test).

Il faut le réseau vers PyPI et quelques minutes : ce test ne tourne que par ``make test-binder``
(``REIMB_TEST_BINDER=1``), que ``.ci/run`` lance. Les journaux et les durées mesurées sont dans
``artefacts/binder/`` (ignoré par git). Aucune assertion de durée.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
ARTEFACTS = RACINE / "artefacts" / "binder"

pytestmark = pytest.mark.skipif(
    os.environ.get("REIMB_TEST_BINDER") != "1",
    reason="test Binder (environnement neuf depuis PyPI, plusieurs minutes) : lancé par `make test-binder`",
)

DUREES: dict[str, float] = {}


def lancer(etape: str, commande: list[str], env: dict, cwd: Path, delai: float = 1800) -> str:
    """Lance une commande, garde sa sortie dans artefacts/binder/<etape>.log, mesure sa durée."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    debut = time.monotonic()
    r = subprocess.run(commande, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=delai)
    DUREES[etape] = DUREES.get(etape, 0.0) + time.monotonic() - debut
    journal = ARTEFACTS / (re.sub(r"[^\w.-]", "_", etape) + ".log")
    journal.write_text(f"$ {' '.join(commande)}\n(dans {cwd})\n\n{r.stdout}", encoding="utf-8")
    if r.returncode != 0:
        pytest.fail(f"{etape} : échec (code {r.returncode}), journal {journal} :\n{r.stdout[-6000:]}", pytrace=False)
    return r.stdout


def copier_depot(cible: Path) -> None:
    """Les fichiers du dépôt (suivis, ou nouveaux et non ignorés) : ni .venv, ni artefacts, ni build."""
    liste = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=RACINE, stdout=subprocess.PIPE, check=True,
    ).stdout.decode().split("\0")
    for nom in filter(None, liste):
        source = RACINE / nom
        if source.is_file():  # un fichier suivi peut avoir été supprimé de l'arbre de travail
            (cible / nom).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, cible / nom)


def test_binder_environnement_neuf(tmp_path):
    depot, venv, jupyter_base = tmp_path / "depot", tmp_path / "venv", tmp_path / "jupyter"
    copier_depot(depot)
    for f in ("requirements.txt", "postBuild"):
        assert (depot / "binder" / f).is_file(), f"binder/{f} manquant"
    assert os.access(depot / "binder" / "postBuild", os.X_OK), "binder/postBuild n'est pas exécutable (git : mode 755)"

    # runtime.txt dit la version de Python de Binder ; on la compare à celle qui construit ici.
    runtime = (depot / "binder" / "runtime.txt").read_text().strip()
    ici = f"python-{sys.version_info.major}.{sys.version_info.minor}"
    if runtime != ici:
        pytest.fail(f"binder/runtime.txt dit {runtime!r}, ce test construit avec {ici} : ils doivent être d'accord")

    # 1. L'environnement, comme repo2docker : venv, requirements, postBuild à la racine du dépôt.
    base = getattr(sys, "_base_executable", sys.executable)
    lancer("1-venv", [base, "-m", "venv", str(venv)], dict(os.environ), tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH", "JUPYTER_TOKEN")}
    env.update(VIRTUAL_ENV=str(venv), PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", PYTHONNOUSERSITE="1")
    for nom, sous in {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data", "JUPYTER_RUNTIME_DIR": "runtime",
                      "IPYTHONDIR": "ipython", "MPLCONFIGDIR": "matplotlib"}.items():
        (jupyter_base / sous).mkdir(parents=True, exist_ok=True)
        env[nom] = str(jupyter_base / sous)
    py = str(venv / "bin" / "python")
    lancer("2-pip-requirements", [py, "-m", "pip", "install", "--disable-pip-version-check",
                                  "-r", str(depot / "binder" / "requirements.txt")], env, depot)
    lancer("3-postBuild", [str(depot / "binder" / "postBuild")], env, depot)

    # 2. Ce que voit Binder : l'extension des widgets activée dans JupyterLab, Voilà côté serveur.
    sortie = re.sub(r"\x1b\[[0-9;]*m", "", lancer("4-labextension", [str(venv / "bin" / "jupyter"), "labextension", "list"], env, depot))
    assert re.search(r"@jupyter-widgets/jupyterlab-manager\s+v\S+\s+enabled\s+OK", sortie), (
        f"extension des widgets absente ou désactivée dans JupyterLab :\n{sortie}"
    )
    sortie = re.sub(r"\x1b\[[0-9;]*m", "", lancer("5-serverextension", [str(venv / "bin" / "jupyter"), "server", "extension", "list"], env, depot))
    assert re.search(r"voila(\.server_extension)?\s+enabled", sortie), f"Voilà n'est pas activé dans le serveur Jupyter :\n{sortie}"

    # 3. reimb vient du paquet installé par postBuild, pas des sources de la copie.
    fichier = lancer("6-import-reimb", [py, "-c", "import reimb; print(reimb.__file__)"], env, tmp_path).strip()
    assert Path(fichier).is_relative_to(venv), f"reimb importé depuis {fichier}, pas depuis l'environnement Binder"
    donnees = lancer("6-import-reimb", [py, "-c", "import importlib.resources as r; print(sorted(p.name for p in r.files('reimb').joinpath('parametres').iterdir()))"], env, tmp_path)
    assert ".toml" in donnees, f"les paramètres de reimb ne sont pas dans le paquet installé : {donnees}"

    # 4. Chaque notebook du cours, exécuté dans cet environnement (comme « Run All » sur Binder).
    notebooks = sorted((depot / "notebooks").glob("*.ipynb"))
    assert notebooks, "aucun notebook dans notebooks/"
    executes = tmp_path / "executes"
    for nb in notebooks:
        lancer(f"7-execution-{nb.stem}", [
            str(venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
            "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=python3",
            "--output-dir", str(executes), str(nb),
        ], env, nb.parent)
        cellules = json.loads((executes / nb.name).read_text(encoding="utf-8"))["cells"]
        erreurs = [s for c in cellules for s in c.get("outputs", []) if s.get("output_type") == "error"]
        assert not erreurs, f"{nb.name} : sorties d'erreur dans l'environnement Binder : {erreurs}"

    DUREES["total"] = sum(v for k, v in DUREES.items() if k != "total")
    (ARTEFACTS / "durees.json").write_text(json.dumps(DUREES, indent=2, ensure_ascii=False), encoding="utf-8")
    print("\nDurées Binder (s) :", ", ".join(f"{k} {v:.1f}" for k, v in DUREES.items()))
