"""Fixtures des tests navigateur : Chromium, serveurs JupyterLab et Voilà, onglets (voir outils_navigateur)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sys
import urllib.parse
from pathlib import Path

import pytest

from outils_navigateur import (
    ARTEFACTS, CHROMIUM, EXTERNES_TOLERES, HAUTEUR, LARGEUR, NOTEBOOKS, OBLIGATOIRE, OPTIONS_CHROMIUM,
    RACINE, REGLAGES_LAB, VOILA_PRECHAUFFES, Serveur, _env_jupyter, port_libre,
)


# --- Quand ces tests tournent -----------------------------------------------------------------


def _vise(config) -> bool:
    """Vrai si la ligne de commande vise ce dossier (``make test-navigateur``, ``pytest tests/navigateur``)."""
    ici = Path(__file__).resolve().parent
    for arg in config.args:
        chemin = (Path(config.invocation_params.dir) / arg.split("::")[0]).resolve()
        if chemin == ici or ici in chemin.parents:
            return True
    return False


def pytest_collection_modifyitems(config, items):
    # Un `pytest tests` d'ensemble (boucle de développement de la bibliothèque) ne démarre pas de
    # navigateur : ces tests y sont sautés, avec leur motif ; `make test` les lance (test-navigateur).
    if _vise(config) or OBLIGATOIRE:
        return
    saut = pytest.mark.skip(reason="tests navigateur : lancés par `make test-navigateur` (ou `pytest tests/navigateur`)")
    for item in items:
        if Path(str(item.fspath)).resolve().parent == Path(__file__).resolve().parent:
            item.add_marker(saut)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Garde le rapport de chaque phase sur l'item : la fixture ``page`` sait si le test a échoué."""
    resultat = yield
    rapport = resultat.get_result()
    setattr(item, f"rapport_{rapport.when}", rapport)


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Path:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = (
        f"Chromium introuvable ({CHROMIUM}) : les tests navigateur ne sont PAS lancés. "
        "Installez-le avec `apt-get install chromium` (jamais `playwright install`)."
    )
    if OBLIGATOIRE:
        pytest.fail(message + " REIMB_NAVIGATEUR_OBLIGATOIRE=1 : c'est un échec.", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def dossier_notebooks(tmp_path_factory) -> Path:
    """Une copie des notebooks : le navigateur ne réécrit jamais les fichiers du dépôt."""
    if not NOTEBOOKS.is_dir():
        pytest.fail(f"dossier de notebooks introuvable : {NOTEBOOKS}")
    copie = tmp_path_factory.mktemp("cours") / "notebooks"
    shutil.copytree(NOTEBOOKS, copie, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return copie


@pytest.fixture(scope="session")
def jupyterlab(_jupyterlab_lance):
    """JupyterLab sur 127.0.0.1 (lancé dès le début de la session par ``jupyterlab_tot``), prêt à répondre."""
    _jupyterlab_lance.attendre("/api/status")
    return _jupyterlab_lance


@pytest.fixture(scope="session")
def _jupyterlab_lance(chromium, dossier_notebooks, tmp_path_factory):
    base = tmp_path_factory.mktemp("jupyter-lab")
    env = _env_jupyter(base)
    for fichier, valeurs in REGLAGES_LAB.items():
        chemin = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / fichier
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_text(json.dumps(valeurs), encoding="utf-8")
    port, jeton = port_libre(), secrets.token_hex(24)
    commande = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={jeton}",
        f"--ServerApp.root_dir={dossier_notebooks}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",
    ]
    serveur = Serveur("jupyterlab", commande, port, jeton, env, cwd=base)
    try:
        yield serveur
    finally:
        serveur.arreter(api_arret=True)


def config_voila_test() -> dict:
    """Le ``voila.json`` de ``make app``, préchauffage limité aux notebooks que les tests ouvrent dans Voilà.

    ``make app`` préchauffe un noyau par notebook (10 notebooks : 30 à 55 s de processeur au lancement) et en
    remplit un nouveau 1 s après chaque ouverture. Le test n'ouvre que VOILA_PRECHAUFFES, chacun une fois :
    un noyau préchauffé pour chacun, aucun pour les autres, et pas de remplissage après usage (fill_delay)."""
    config = json.loads((RACINE / "voila.json").read_text(encoding="utf-8"))
    assert config["VoilaConfiguration"]["preheat_kernel"], "voila.json : preheat_kernel attendu (make app)"
    pools = {"default": {"pool_size": 0}} | {nom: {"pool_size": 1} for nom in VOILA_PRECHAUFFES}
    config.setdefault("VoilaKernelManager", {}).update(kernel_pools_config=pools, fill_delay=3600)
    return config


@pytest.fixture(scope="session", autouse=True)
def voila_tot(request):
    """Lance Voilà dès le début de la session si un test Voilà est choisi : son préchauffage (le notebook
    exécuté d'avance dans le noyau) se fait pendant les tests JupyterLab, qui attendent surtout leur noyau."""
    if any("voila" in item.fixturenames for item in request.session.items):
        request.getfixturevalue("_voila_lance")  # lancé sans l'attendre : JupyterLab démarre en même temps


@pytest.fixture(scope="session", autouse=True)
def jupyterlab_tot(request, voila_tot):
    """Lance JupyterLab dès le début de la session (après Voilà), sans l'attendre, si un test JupyterLab est
    choisi : ses ~7 s de démarrage passent pendant que Chromium se lance et que l'onglet s'ouvre."""
    if any("jupyterlab" in item.fixturenames for item in request.session.items):
        request.getfixturevalue("_jupyterlab_lance")


@pytest.fixture(scope="session")
def voila(_voila_lance):
    """Le mode application (``make app``) : Voilà sert le dossier des notebooks, sans code."""
    _voila_lance.attendre("/")
    return _voila_lance


@pytest.fixture(scope="session")
def _voila_lance(chromium, dossier_notebooks, tmp_path_factory):
    base = tmp_path_factory.mktemp("voila")
    env = _env_jupyter(base)
    port, jeton = port_libre(), secrets.token_hex(24)
    voila_bin = Path(sys.executable).with_name("voila")
    config = base / "config-voila"
    config.mkdir()
    (config / "voila.json").write_text(json.dumps(config_voila_test()), encoding="utf-8")
    commande = [
        str(voila_bin), str(dossier_notebooks),
        "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}", f"--token={jeton}",
        f"--Voila.config_file_paths={config}",  # voila.json de `make app`, préchauffage limité (config_voila_test)
        "--template=reimb",  # voila/templates/reimb (textes d'attente en français), comme `make app`
    ]
    env["JUPYTER_PATH"] = str(RACINE)  # où Voilà trouve voila/templates/reimb
    serveur = Serveur("voila", commande, port, jeton, env, cwd=base)
    try:
        yield serveur
    finally:
        serveur.arreter()


@pytest.fixture(scope="session")
def navigateur(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        nav = p.chromium.launch(executable_path=str(chromium), headless=True, args=OPTIONS_CHROMIUM)
        try:
            yield nav
        finally:
            nav.close()


def _nouvel_onglet(navigateur):
    """Un contexte et son onglet : toute requête hors de 127.0.0.1 bloquée et notée, erreurs JavaScript notées."""
    contexte = navigateur.new_context(viewport={"width": LARGEUR, "height": HAUTEUR}, locale="fr-FR")
    bloquees: list[str] = []
    erreurs_js: list[str] = []

    def garde(route):
        hote = urllib.parse.urlsplit(route.request.url).hostname
        if hote in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            bloquees.append(route.request.url)
            route.abort()

    contexte.route("**/*", garde)
    onglet = contexte.new_page()
    onglet.on("pageerror", lambda e: erreurs_js.append(str(e)))
    onglet.set_default_timeout(60_000)
    onglet.erreurs_js = erreurs_js
    onglet.bloquees = bloquees
    return contexte, onglet


# JupyterLab, quand le test ferme un notebook et arrête son noyau (``fermer_notebook``) pendant qu'une requête au noyau
# attend encore sa réponse (ipykernel 7 : ``create_subshell_request``) : la promesse est rejetée — c'est la fermeture
# voulue par le test, pas une erreur du cours. Vu une fois sur 10 modules (05), au moment de la fermeture.
ERREURS_JS_FERMETURE = re.compile(r"^Error: Canceled future for \w+ message before replies were done$")


def _juger_onglet(onglet, request, depuis_js: int = 0, depuis_bloquees: int = 0, toleres=None) -> None:
    """Capture d'écran si le test a échoué ; puis échec si, pendant le test, la page a demandé une adresse hors de
    127.0.0.1 (sauf EXTERNES_TOLERES) ou levé une erreur JavaScript."""
    rapport = getattr(request.node, "rapport_call", None)
    if rapport is not None and rapport.failed:  # l'écran au moment de l'échec
        try:
            ARTEFACTS.mkdir(parents=True, exist_ok=True)
            onglet.screenshot(path=str(ARTEFACTS / f"echec-{request.node.name}.png"))
        except Exception:
            pass
    erreurs_js = [e for e in onglet.erreurs_js[depuis_js:] if toleres is None or not toleres.match(e)]
    bloquees = onglet.bloquees[depuis_bloquees:]
    if erreurs_js:
        (ARTEFACTS / f"{request.node.name}.erreurs-js.txt").write_text("\n".join(erreurs_js), encoding="utf-8")
    inattendues = [u for u in bloquees if not u.startswith(EXTERNES_TOLERES)]
    if bloquees:
        (ARTEFACTS / f"{request.node.name}.requetes-bloquees.txt").write_text("\n".join(bloquees), encoding="utf-8")
    assert not inattendues, f"la page a demandé des adresses hors de 127.0.0.1 (bloquées) : {inattendues}"
    assert not erreurs_js, f"erreurs JavaScript sur la page : {erreurs_js}"


@pytest.fixture
def page(navigateur, request):
    """Un onglet neuf (Voilà : chaque page servie une fois, comme à un stagiaire). Toute requête hors de 127.0.0.1
    est bloquée (et fait échouer le test, sauf EXTERNES_TOLERES) ; une erreur JavaScript non rattrapée aussi ;
    capture d'écran en cas d'échec."""
    contexte, onglet = _nouvel_onglet(navigateur)
    try:
        yield onglet
    finally:
        try:
            _juger_onglet(onglet, request)
        finally:
            contexte.close()


@pytest.fixture(scope="session")
def _onglet_jupyterlab(navigateur):
    contexte, onglet = _nouvel_onglet(navigateur)
    onglet.a_recharger = True  # JupyterLab n'est pas encore chargé dans cet onglet
    try:
        yield onglet
    finally:
        contexte.close()


@pytest.fixture
def page_lab(_onglet_jupyterlab, request):
    """L'onglet JupyterLab de la session : l'application est chargée une fois, chaque test y ouvre son notebook
    (``ouvrir_et_executer``) au lieu de recharger JupyterLab (3 à 6 s par notebook ici). Mêmes gardes que ``page``,
    sur ce que la page a fait pendant le test ; après un échec, le test suivant recharge JupyterLab."""
    onglet = _onglet_jupyterlab
    depuis_js, depuis_bloquees = len(onglet.erreurs_js), len(onglet.bloquees)
    yield onglet
    rapport = getattr(request.node, "rapport_call", None)
    if rapport is None or rapport.failed:
        onglet.a_recharger = True
    _juger_onglet(onglet, request, depuis_js, depuis_bloquees, toleres=ERREURS_JS_FERMETURE)
