"""Le cours dans un vrai navigateur : JupyterLab et Voilà sur 127.0.0.1, pilotés par Playwright.

Ce module porte les constantes et les outils ; ``conftest.py`` les fixtures.

Playwright (paquet PyPI) pilote le Chromium de Debian (``/usr/bin/chromium``) : aucun navigateur
n'est téléchargé (jamais de ``playwright install``). Les serveurs n'écoutent que sur 127.0.0.1,
avec un jeton, dans des dossiers de configuration temporaires, et sont toujours arrêtés (finaliseur
des fixtures : arrêt propre, puis le groupe de processus et les noyaux sont tués).

Sans Chromium, les tests sont SAUTÉS avec un message qui le dit (``pytest -rs``), sauf si
``REIMB_NAVIGATEUR_OBLIGATOIRE=1`` : l'absence de Chromium est alors un échec (c'est le cas en CI).

Variables d'environnement :
- ``REIMB_NAVIGATEUR_OBLIGATOIRE=1`` : pas de saut possible ;
- ``REIMB_CHROMIUM`` : un autre exécutable Chromium (défaut ``/usr/bin/chromium``) ;
- ``REIMB_NAVIGATEUR_NOTEBOOKS`` : un autre dossier de notebooks (défaut ``notebooks/``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
ARTEFACTS = RACINE / "artefacts" / "navigateur"
CHROMIUM = Path(os.environ.get("REIMB_CHROMIUM", "/usr/bin/chromium"))
NOTEBOOKS = Path(os.environ.get("REIMB_NAVIGATEUR_NOTEBOOKS", RACINE / "notebooks")).resolve()
OBLIGATOIRE = os.environ.get("REIMB_NAVIGATEUR_OBLIGATOIRE", "") == "1"

# Les options du Chromium de Debian en root, sans réseau sortant (voir la note de recherche).
OPTIONS_CHROMIUM = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Les adresses hors de 127.0.0.1 qu'une page peut demander sans faire échouer le test (bloquées quand même) :
# aucune. Le gabarit « lab » de Voilà 0.5 demandait Font Awesome sur un CDN ; le gabarit « reimb » (index.html.j2
# et tree.html) ne le fait plus.
EXTERNES_TOLERES: tuple[str, ...] = ()
# Les seuls notebooks ouverts dans Voilà par les tests (chacun une fois) : préchauffés, les autres non.
VOILA_PRECHAUFFES = ("00_bienvenue.ipynb", "03_contrat_responsable.ipynb")
LARGEUR, HAUTEUR = 1280, 800
DELAI_DEMARRAGE = 120  # s : garde-fou (pas une mesure) pour qu'un serveur réponde

# Réglages JupyterLab de l'utilisateur de test : pas de fenêtre « nouvelles de Jupyter » (captures
# propres, aucune requête sortante), pas de sauvegarde automatique (les notebooks ne sont jamais
# réécrits), toutes les cellules dans le DOM (les sorties hors écran sont vérifiées aussi).
REGLAGES_LAB = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def port_libre() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    """Les PID des processus lancés par ``pid`` (les noyaux Jupyter ont leur propre session)."""
    try:
        import psutil
    except ImportError:  # psutil vient avec ipykernel ; sans lui, le groupe de processus suffit
        return []
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


class Serveur:
    """Un serveur Jupyter (JupyterLab ou Voilà) lancé dans son propre groupe de processus."""

    def __init__(self, nom: str, commande: list[str], port: int, jeton: str, env: dict, cwd: Path):
        self.nom, self.port, self.jeton = nom, port, jeton
        self.debut = time.monotonic()
        self.url = f"http://127.0.0.1:{port}"
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        self.journal = ARTEFACTS / f"{nom}.log"
        self._log = open(self.journal, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            commande, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )

    def requete(self, chemin: str, methode: str = "GET", delai: float = 10):
        req = urllib.request.Request(
            self.url + chemin, method=methode, headers={"Authorization": f"token {self.jeton}"}
        )
        with urllib.request.urlopen(req, timeout=delai) as r:
            return r.status, r.read()

    def attendre(self, chemin: str) -> None:
        fin = time.monotonic() + DELAI_DEMARRAGE
        derniere = None
        while time.monotonic() < fin:
            if self.proc.poll() is not None:
                pytest.fail(f"{self.nom} s'est arrêté au démarrage (code {self.proc.returncode}) :\n{self.lire_journal()}")
            try:
                if self.requete(chemin, delai=2)[0] == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
                derniere = e
            time.sleep(0.25)
        pytest.fail(f"{self.nom} ne répond pas sur {self.url}{chemin} ({derniere}) :\n{self.lire_journal()}")

    def lire_journal(self) -> str:
        self._log.flush()
        return self.journal.read_text(encoding="utf-8", errors="replace")[-4000:]

    def arreter(self, api_arret: bool = False) -> None:
        """Toujours appelé (finaliseur) : arrêt propre si possible, puis on tue ce qui reste."""
        restants = _descendants(self.proc.pid)
        if self.proc.poll() is None and api_arret:
            try:
                self.requete("/api/shutdown", methode="POST", delai=5)
                self.proc.wait(timeout=20)
            except Exception:
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)
        for pid in restants:  # noyaux lancés dans une autre session : tués un par un, par leur PID
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._log.close()


def _env_jupyter(base: Path) -> dict:
    """Des dossiers Jupyter temporaires : ni la configuration ni les noyaux de l'utilisateur."""
    env = dict(os.environ)
    dossiers = {
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTERLAB_SETTINGS_DIR": base / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "lab-workspaces",
        "IPYTHONDIR": base / "ipython",
        "MPLCONFIGDIR": base / "matplotlib",
    }
    for nom, dossier in dossiers.items():
        dossier.mkdir(parents=True, exist_ok=True)
        env[nom] = str(dossier)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_TOKEN", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def notebook_requis(nom: str) -> Path:
    """Le chemin d'un notebook du cours ; absent : échec en CI, saut (motif affiché) ailleurs."""
    chemin = NOTEBOOKS / nom
    if not chemin.is_file():
        message = f"{nom} absent de {NOTEBOOKS} : ce test navigateur ne peut pas tourner"
        if OBLIGATOIRE:
            pytest.fail(message + " (REIMB_NAVIGATEUR_OBLIGATOIRE=1 : c'est un échec)", pytrace=False)
        pytest.skip(message)
    return chemin


# --- Latences : de l'entrée du stagiaire à la nouvelle sortie (mesures, pas assertions) ----------------

# Arme une mesure : t0 au premier événement d'entrée (clavier, pointeur, saisie) dans la page, t1 à la
# première modification du DOM de la sortie observée (le HTML du décompte, ou l'<img> du graphique).
# L'aller-retour complet : navigateur → noyau (recalcul, nouveau HTML ou PNG) → navigateur.
JS_ARMER_LATENCE = """
(cible) => {
  if (window.__latence_obs) window.__latence_obs.disconnect();
  const m = {t0: null, t1: null, tn: null};
  window.__latence = m;
  const obs = new MutationObserver(() => {
    if (m.t0 === null) return;
    m.tn = performance.now();  // la dernière modification de la sortie
    if (m.t1 === null) m.t1 = m.tn;
  });
  window.__latence_obs = obs;
  obs.observe(cible, {subtree: true, childList: true, attributes: true, characterData: true});
  const debut = () => { if (m.t0 === null) m.t0 = performance.now(); };
  for (const type of ['keydown', 'pointerdown', 'input']) {
    document.addEventListener(type, debut, {capture: true, once: true});
  }
}
"""

CALME_MS = 120  # ms sans modification de la sortie observée : sa mise à jour est finie
LATENCES: dict = {}
FICHIER_LATENCES = ARTEFACTS / "latences.json"


def mesurer_latence(page, cible, action, delai_ms: int = 30_000) -> float | None:
    """Arme la mesure sur ``cible`` (un ElementHandle), fait ``action()``, attend la nouvelle sortie ;
    rend la latence en ms (``None`` si la sortie n'a pas changé dans le délai)."""
    page.evaluate(JS_ARMER_LATENCE, cible)
    action()
    try:
        page.wait_for_function("() => window.__latence && window.__latence.t1 !== null", timeout=delai_ms)
    except Exception:
        return None
    valeur = page.evaluate("() => window.__latence.t1 - window.__latence.t0")
    # La fin de la mise à jour avant la mesure suivante : la sortie n'a plus bougé depuis CALME_MS.
    try:
        page.wait_for_function(f"() => performance.now() - window.__latence.tn >= {CALME_MS}", timeout=5_000, polling=50)
    except Exception:
        pass
    return round(valeur, 1)


def noter_latences(cle: str, mesures: list, **infos) -> None:
    """Ajoute une série à ``artefacts/navigateur/latences.json`` (médiane p50, min, max, n) ; réécrit le fichier."""
    import json
    import statistics

    valides = [m for m in mesures if m is not None]
    entree = {"n": len(valides), "mesures_ms": mesures, **infos}
    if valides:
        entree.update(p50_ms=round(statistics.median(valides), 1), min_ms=min(valides), max_ms=max(valides))
    LATENCES[cle] = entree
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    FICHIER_LATENCES.write_text(json.dumps(LATENCES, ensure_ascii=False, indent=2), encoding="utf-8")


def attendre_repos(serveur, duree_calme: float = 1.5, delai: float = 120.0) -> float:
    """Attend que les processus du serveur (et ses noyaux) ne consomment plus de processeur ; rend l'attente (s)."""
    try:
        import psutil
    except ImportError:
        time.sleep(10)
        return 10.0
    debut = time.monotonic()

    def cpu():
        total = 0.0
        try:
            racine = psutil.Process(serveur.proc.pid)
            for p in [racine, *racine.children(recursive=True)]:
                try:
                    t = p.cpu_times()
                    total += t.user + t.system
                except psutil.NoSuchProcess:
                    pass
        except psutil.NoSuchProcess:
            pass
        return total

    avant, calme_depuis = cpu(), time.monotonic()
    while time.monotonic() - debut < delai:
        time.sleep(0.5)
        maintenant = cpu()
        if maintenant - avant > 0.1:  # plus de 20 % d'un cœur sur la demi-seconde : encore au travail
            calme_depuis = time.monotonic()
        avant = maintenant
        if time.monotonic() - calme_depuis >= duree_calme:
            break
    return time.monotonic() - debut
