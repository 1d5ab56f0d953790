"""Le parcours d'un stagiaire, dans un vrai navigateur (Chromium de Debian piloté par Playwright).

1. JupyterLab : chaque notebook du cours est ouvert, toutes ses cellules sont exécutées, et aucune
   sortie d'erreur (ni widget cassé) n'est tolérée ; une capture d'écran de chacun est gardée.
2. Sur ``03_contrat_responsable`` : le curseur des honoraires du premier widget est déplacé au clavier
   (flèche droite, pas de 1 €), et les montants recalculés affichés sur la page
   (``<div class="reimb-decompte" data-…>``) sont comparés à ``reimb.decompte`` appelé avec les
   entrées lues sur la même page.
3. Le mode application (Voilà, ``make app``) : la même page, sans code, le même contrôle ; puis le parcours d'un
   stagiaire (le sommaire, le module 00 et sa question).

Chaque module n'est exécuté qu'une fois dans JupyterLab (un onglet pour la session : l'application n'est chargée
qu'une fois), et Voilà n'ouvre que 00 et 03, préchauffés dès le début de la session (voir ``conftest.py``).

Les captures sont dans ``artefacts/navigateur/`` (ignoré par git). Aucune assertion de durée : les
latences (de l'entrée du stagiaire à la nouvelle sortie, pour chaque sorte de widget de chaque notebook,
et le temps jusqu'au premier décompte d'une page Voilà) sont **notées** dans
``artefacts/navigateur/latences.json`` (médiane p50, minimum, maximum, mesures).
"""

from __future__ import annotations

import os
import re
import time
import urllib.parse
from datetime import date
from decimal import Decimal

import pytest

import reimb
from outils_navigateur import (
    ARTEFACTS, NOTEBOOKS, RACINE, attendre_repos, mesurer_latence, notebook_requis, noter_latences,
)

NOTEBOOK_BIENVENUE = "00_bienvenue.ipynb"
NOTEBOOK_RESPONSABLE = "03_contrat_responsable.ipynb"
APPUIS = 3  # nombre de pressions sur la flèche droite, chacune vérifiée
# Réponses tapées puis validées aussitôt (la « réponse périmée ») : sans le délai de lecture
# (``evaluation_vue.DELAI``), 3 sur 20 étaient jugées sur la valeur précédente (mesure notée dans
# ``widgets.apres_derniere_frappe``). 20 essais voient une telle régression avec une probabilité
# 1 − 0,85²⁰ ≈ 96 % (30 : 99 %), pour ~0,6 s par essai (le délai de 0,4 s en fait partie).
REPONSES_ENCHAINEES = 20

PANNEAU = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # l'onglet de notebook affiché
SORTIE_ERREUR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
SORTIE_WIDGET = ".jp-OutputArea-output:has(> .jupyter-widgets)"  # la vue racine d'un widget
# Ce qu'un stagiaire ne doit jamais voir : la description Python d'un objet, du jargon ou de l'anglais de l'outil.
PANNEAU_VOILA = "body"
REPR_PYTHON = re.compile(r"children=\(|Layout\(|Decimal\(|Exemple\(|Question\(|<reimb\.|object at 0x")
ANGLAIS = re.compile(r"Select items|Executing \d|Run All|Traceback|Error displaying|Loading widget")

# Toutes les cellules de code non vides numérotées (ou une erreur qui a arrêté l'exécution), aucune en cours, et le
# noyau au repos. Lu sur le modèle du notebook, pas sur le DOM : le code du cours est replié (source_hidden), ses
# éditeurs ne sont pas dessinés et un filtre sur leur texte laissait passer une exécution à peine commencée.
JS_EXECUTION_FINIE = """
() => {
  const app = window.jupyterapp;
  const panneau = app && app.shell.currentWidget;
  if (!panneau || !panneau.content || !panneau.sessionContext) return false;
  const noyau = panneau.sessionContext.session && panneau.sessionContext.session.kernel;
  if (!noyau || noyau.status !== 'idle') return false;
  const modele = panneau.content.model;
  const cellules = [];
  for (let i = 0; i < modele.cells.length; i++) {
    const c = modele.cells.get(i);
    if (c.type === 'code' && c.sharedModel.getSource().trim() !== '') cellules.push(c);
  }
  if (cellules.some(c => c.executionState === 'running')) return false;
  const erreur = panneau.node.querySelector('%s');
  return erreur !== null || cellules.every(c => c.executionCount !== null && c.executionCount !== undefined);
}
""" % SORTIE_ERREUR.replace("'", "\\'")

# Les sorties de type « error » du modèle du notebook (pas seulement ce qu'affiche le DOM).
JS_ERREURS_MODELE = """
() => {
  const modele = window.jupyterapp.shell.currentWidget.content.model;
  const erreurs = [];
  for (let i = 0; i < modele.cells.length; i++) {
    const c = modele.cells.get(i);
    if (c.type !== 'code') continue;
    for (const s of c.outputs.toJSON()) {
      if (s.output_type === 'error') erreurs.push(`cellule ${i} : ${s.ename}: ${s.evalue}`);
      if (s.output_type === 'stream' && s.name === 'stderr') erreurs.push(`cellule ${i} (stderr) : ${s.text}`);
    }
  }
  return erreurs;
}
"""


def _notebooks():
    trouves = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    return trouves or [pytest.param(None, id="aucun-notebook")]


def capture(page, nom: str):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    chemin = ARTEFACTS / f"{nom}.png"
    page.screenshot(path=str(chemin))
    return chemin


def erreurs_affichees(page, racine: str = "body") -> list[str]:
    """Sorties d'erreur (stderr, traceback) et widgets qui n'ont pas pu s'afficher."""
    erreurs = [t.strip()[:2000] for t in page.locator(f"{racine} {SORTIE_ERREUR}").all_inner_texts()]
    # Un widget qui refuse sa saisie par défaut, avant que le stagiaire n'ait rien touché :
    for t in page.locator(f"{racine} .jupyter-widgets .reimb-erreur").all_inner_texts():
        erreurs.append(f"un widget affiche une erreur dès son ouverture : {t.strip()}")
    texte = page.locator(racine).inner_text()
    for motif in ("Error displaying widget", "There was an error when executing cell", "Traceback (most recent call last)"):
        if motif in texte:
            erreurs.append(f"sur la page : « {motif} »")
    return erreurs


# Les menus par leur libellé, anglais ou français (si le pack de langue est installé).
MENU_EDITION = re.compile(r"^(Edit|Édition|Modifier)$")
MENU_EXECUTER = re.compile(r"^(Run|Exécuter|Exécution)$")


def menu(page, libelle: re.Pattern, commande: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=libelle).first.click()
    page.locator(f"li.lm-Menu-item[data-command='{commande}']").click()


def fermer_noyaux(serveur) -> None:
    import json

    _, corps = serveur.requete("/api/sessions")
    for session in json.loads(corps):
        serveur.requete(f"/api/sessions/{session['id']}", methode="DELETE")


# Ferme les onglets du notebook précédent sans question (le modèle est déclaré propre : rien n'est enregistré, la
# sauvegarde automatique est coupée) et les dialogues restés ouverts, puis ouvre ``chemin`` dans la même application.
JS_OUVRIR = """
async (chemin) => {
  const app = window.jupyterapp;
  for (const d of document.querySelectorAll('.jp-Dialog')) d.remove();
  for (const w of [...app.shell.widgets('main')]) {
    if (w.context && w.context.model) w.context.model.dirty = false;
    w.dispose();
  }
  await app.commands.execute('docmanager:open', {path: chemin, factory: 'Notebook'});
}
"""

# Les sorties enregistrées sont affichées : une zone de sortie dans le DOM pour chaque sortie du modèle.
JS_SORTIES_AFFICHEES = """
() => {
  const p = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!p || !p.context || !p.context.isReady || !p.content || !p.content.model) return false;
  const m = p.content.model;
  let n = 0;
  for (let i = 0; i < m.cells.length; i++) { const c = m.cells.get(i); if (c.type === 'code') n += c.outputs.length; }
  return p.node.querySelectorAll('.jp-Cell').length === m.cells.length
    && p.node.querySelectorAll('.jp-OutputArea-output').length >= n;
}
"""

JS_VUES_AFFICHEES = """
() => {
  const p = window.jupyterapp.shell.currentWidget;
  const m = p.content.model;
  let n = 0;
  for (let i = 0; i < m.cells.length; i++) {
    const c = m.cells.get(i);
    if (c.type !== 'code') continue;
    for (const s of c.outputs.toJSON()) if (s.data && s.data['application/vnd.jupyter.widget-view+json']) n++;
  }
  return p.node.querySelectorAll('%s').length >= n;
}
""" % SORTIE_WIDGET

JS_NOYAU_AU_REPOS = (
    "() => { const p = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
    " const k = p && p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel;"
    " return k && k.status === 'idle'; }"
)


def ouvrir_et_executer(page, lab, nom: str) -> tuple[str, int]:
    """Ouvre le notebook dans JupyterLab, efface ses sorties enregistrées, puis Exécuter → tout.

    L'onglet de la session garde l'application chargée : le notebook y est ouvert par la commande « ouvrir » de
    JupyterLab (le notebook précédent fermé), sinon (premier test, ou après un échec) JupyterLab est chargé sur ce
    notebook, dans un espace de travail remis à zéro.

    Rend ce que montrait le notebook à l'ouverture (avant exécution) et le nombre de cellules de code dont le code
    est visible (le cours les replie toutes)."""
    if getattr(page, "a_recharger", True) or not page.evaluate("() => !!window.jupyterapp"):
        url = f"{lab.url}/lab/workspaces/nav/tree/{urllib.parse.quote(nom)}?reset&token={lab.jeton}"
        page.goto(url)
        page.wait_for_function("() => !!(window.jupyterapp && window.jupyterapp.shell.currentWidget)")
        page.a_recharger = False
    else:
        page.evaluate(JS_OUVRIR, nom)
    page.wait_for_function(
        "(nom) => { const p = window.jupyterapp.shell.currentWidget; return p && p.context && p.context.path === nom; }",
        arg=nom)
    page.wait_for_selector(f"{PANNEAU} .jp-Cell")
    page.wait_for_function(JS_SORTIES_AFFICHEES, polling=100)  # les sorties enregistrées s'affichent
    ouverture = page.locator(PANNEAU).inner_text()
    code_visible = page.locator(f"{PANNEAU} .jp-CodeCell .jp-InputArea-editor >> visible=true").count()
    page.wait_for_function(JS_NOYAU_AU_REPOS, timeout=120_000, polling=100)
    # Comme un stagiaire : menus « Edit » puis « Run » (sorties enregistrées effacées d'abord,
    # pour ne juger que ce que ce navigateur vient d'exécuter).
    menu(page, MENU_EDITION, "editmenu:clear-all")
    menu(page, MENU_EXECUTER, "runmenu:run-all")
    page.wait_for_function(JS_EXECUTION_FINIE, timeout=300_000, polling=100)
    # Laisser les vues des widgets se construire (elles arrivent après la fin de l'exécution).
    page.wait_for_function(
        "() => ![...document.querySelectorAll('.jp-OutputArea-output')].some("
        " o => (o.textContent || '').includes('Loading widget'))",
        timeout=60_000, polling=100,
    )
    # … toutes : une vue racine dans le DOM pour chaque sortie « widget » du modèle (sinon les latences de ces
    # widgets ne seraient pas mesurées). Une vue qui ne vient pas est jugée ensuite (« Error displaying widget »).
    try:
        page.wait_for_function(JS_VUES_AFFICHEES, timeout=30_000, polling=100)
    except Exception:
        pass
    page.locator(f"{PANNEAU} .jp-Cell").first.scroll_into_view_if_needed()  # retour en haut
    return ouverture, code_visible


def fermer_notebook(page, lab) -> None:
    """Ferme les onglets de notebook (sans enregistrer) puis arrête les noyaux par l'API du serveur."""
    try:
        page.evaluate("() => { for (const w of [...(window.jupyterapp?.shell.widgets('main') || [])]) {"
                      " if (w.context && w.context.model) w.context.model.dirty = false; w.dispose(); } }")
    except Exception:
        page.a_recharger = True
    fermer_noyaux(lab)


# --- Lecture et vérification d'un décompte affiché ---------------------------------------------


def _booleen(texte: str) -> bool:
    assert texte in ("true", "false"), f"booléen attendu « true »/« false », lu {texte!r}"
    return texte == "true"


def attributs(element) -> dict[str, str]:
    return element.evaluate(
        "e => Object.fromEntries(e.getAttributeNames().filter(n => n.startsWith('data-'))"
        ".map(n => [n.slice(5), e.getAttribute(n)]))"
    )


def verifier_decompte(attrs: dict[str, str], texte_visible: str) -> reimb.Decompte:
    """Recalcule le décompte avec les entrées lues sur la page et compare chaque montant affiché."""
    garantie = None
    if attrs["garantie-dptam"] or attrs["garantie-hors-dptam"]:
        garantie = reimb.Garantie(
            dptam=attrs["garantie-dptam"], hors_dptam=attrs["garantie-hors-dptam"],
            responsable=_booleen(attrs["responsable"]),
        )
    d = reimb.decompte(
        honoraires=attrs["honoraires"],
        date=date.fromisoformat(attrs["date"]),
        medecin=reimb.Medecin(
            secteur=int(attrs["secteur"]), dptam=attrs["dptam"] or None,
            specialite=attrs["specialite"], droit_permanent=_booleen(attrs["droit-permanent"]),
        ),
        brss=attrs["brss"] or None,
        patient=reimb.Patient(
            age=int(attrs["age"]), css=_booleen(attrs["css"]), ald=_booleen(attrs["ald"]),
            maternite=_booleen(attrs["maternite"]),
        ),
        garantie=garantie,
        parcours=_booleen(attrs["parcours"]),
    )
    attendus = {
        "brss": d.brss, "amo-brut": d.amo_brut, "participation-forfaitaire": d.participation_forfaitaire,
        "amo": d.amo, "amc": d.amc, "reste-a-charge": d.reste_a_charge,
    }
    for cle, valeur in attendus.items():
        lu = attrs[cle]
        assert re.fullmatch(r"-?\d+\.\d{2}", lu), f"data-{cle}={lu!r} : un décimal à point et deux chiffres attendu"
        assert Decimal(lu) == valeur, f"data-{cle} affiché {lu}, reimb.decompte donne {valeur} (entrées : {attrs})"
    # Le montant lu par le stagiaire, en format français (« 21,10 € ») :
    visible = re.sub(r"[\u00a0\u202f ]", "", texte_visible)
    for cle in ("amo", "amc", "reste-a-charge"):
        fr = f"{attendus[cle]:,.2f}".replace(",", "").replace(".", ",")
        assert fr in visible, f"{cle} = {fr} € n'est pas affiché dans le décompte : {texte_visible!r}"
    return d


def bouger_curseur_honoraires(page, widget, prefixe: str, premier_recalcul: list | None = None) -> list[tuple[str, str]]:
    """Flèche droite sur le curseur des honoraires ; chaque nouveau décompte est vérifié. ``premier_recalcul`` (une
    liste) reçoit l'instant (ms depuis la navigation) où le premier décompte recalculé est arrivé."""
    widget.scroll_into_view_if_needed()
    decompte = widget.locator(".reimb-decompte").first
    try:
        decompte.wait_for(state="attached", timeout=60_000)
    except Exception:
        capture(page, f"{prefixe}-sans-decompte")
        pytest.fail(f"pas de décompte (.reimb-decompte) dans le premier widget ; il affiche :\n{widget.inner_text()}")
    curseurs = widget.locator(".widget-slider")
    assert curseurs.count() >= 1, "aucun curseur (.widget-slider) dans le premier widget"
    curseur = curseurs.filter(has=page.locator(".widget-label", has_text=re.compile("honoraires", re.I))).first
    if curseur.count() == 0:
        curseur = curseurs.first
    poignee = curseur.locator(".noUi-handle").first
    racine = widget.element_handle()

    avant = attributs(decompte)
    verifier_decompte(avant, decompte.inner_text())
    montants = [(avant["honoraires"], avant["reste-a-charge"])]
    latences = []
    for i in range(APPUIS):
        ancien = attributs(widget.locator(".reimb-decompte").first)["honoraires"]
        poignee.focus()
        sortie = widget.locator(".reimb-decompte").first.element_handle().evaluate_handle("e => e.parentElement")
        latences.append(mesurer_latence(page, sortie, lambda: poignee.press("ArrowRight")))
        page.wait_for_function(
            "([r, a]) => { const d = r.querySelector('.reimb-decompte');"
            " return d && d.getAttribute('data-honoraires') !== a; }",
            arg=[racine, ancien], timeout=60_000,
        )
        if premier_recalcul is not None and i == 0:
            premier_recalcul.append(page.evaluate("() => performance.now()"))
        decompte = widget.locator(".reimb-decompte").first
        apres = attributs(decompte)
        assert Decimal(apres["honoraires"]) == Decimal(ancien) + 1, (
            f"flèche droite : honoraires {ancien} → {apres['honoraires']}, +1 € attendu (pas du curseur)"
        )
        verifier_decompte(apres, decompte.inner_text())
        montants.append((apres["honoraires"], apres["reste-a-charge"]))
    capture(page, f"{prefixe}-curseur")
    noter_latences(f"{prefixe} : curseur des honoraires → décompte (vérifié)", latences)
    return montants


# --- Latences de chaque sorte de widget (mesures notées, jamais des assertions) -----------------------

SERIE = 5  # mesures par widget


def _latences_widget(page, racine):
    """(sorte, sortie observée, action(k), préparation(k) ou None) d'un widget affiché ; ``None`` si inconnu."""
    if racine.locator("img").count():
        case = racine.locator(".widget-checkbox input[type=checkbox]").first
        if not case.count():
            return None
        return "graphique : case à cocher → nouvelle image", racine.locator("img").first.element_handle(), \
            lambda k: case.click(), None
    if racine.locator(".reimb-question").count():
        cases = racine.locator("input[type=text]")
        bouton = racine.locator("button", has_text="Vérifier").first
        sortie = racine.locator(".widget-html-content").last.element_handle()

        def remplir(k):
            for j in range(cases.count()):
                cases.nth(j).fill(str(k + 1))  # une réponse différente à chaque fois : la sortie change

        return "question : « Vérifier » → correction", sortie, lambda k: bouton.click(), remplir
    for classe, quoi in ((".reimb-decompte", "décompte"), (".reimb-engagements", "engagements")):
        if racine.locator(classe).count():
            curseurs = racine.locator(".widget-slider").filter(
                has=page.locator(".widget-label", has_text=re.compile("honoraires", re.I)))
            if not curseurs.count():
                return None
            poignee = curseurs.first.locator(".noUi-handle").first
            sortie = racine.locator(classe).first.element_handle().evaluate_handle("e => e.parentElement")

            def appuyer(k, poignee=poignee):
                poignee.focus()
                poignee.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")

            return f"curseur des honoraires → {quoi}", sortie, appuyer, None
    return None


# Se résout quand l'élément n'a plus changé depuis 300 ms (au plus 5 s).
JS_ATTENDRE_CALME = """
(sel) => new Promise(fini => {
  const el = document.querySelector(sel) || document.body;
  let minuterie = null;
  const obs = new MutationObserver(() => { clearTimeout(minuterie); minuterie = setTimeout(fin, 300); });
  function fin() { obs.disconnect(); fini(true); }
  obs.observe(el, {subtree: true, childList: true, attributes: true, characterData: true});
  minuterie = setTimeout(fin, 300);
  setTimeout(fin, 5000);
})
"""


def mesurer_widgets(page, prefixe: str, racine_css: str) -> None:
    """La latence entrée → nouvelle sortie du premier widget de chaque sorte de la page."""
    # Les vues filles des widgets (décompte, curseurs, image) se construisent après leur vue racine : attendre que la
    # page ne bouge plus, sinon un widget encore vide n'est pas reconnu et sa latence n'est pas notée.
    page.evaluate(JS_ATTENDRE_CALME, racine_css)
    racines = page.locator(f"{racine_css} {SORTIE_WIDGET}")
    vues = set()
    for i in range(racines.count()):
        racine = racines.nth(i)
        try:
            trouve = _latences_widget(page, racine)
        except Exception as e:  # une mesure manquée n'est pas un échec du cours
            noter_latences(f"{prefixe} : widget {i}", [], erreur=str(e)[:300])
            continue
        if trouve is None or trouve[0] in vues:
            continue
        sorte, sortie, action, preparer = trouve
        vues.add(sorte)
        mesures = []
        try:
            racine.scroll_into_view_if_needed()
            for k in range(SERIE):
                if preparer is not None:
                    preparer(k)
                mesures.append(mesurer_latence(page, sortie, lambda action=action, k=k: action(k)))
        except Exception as e:  # une mesure manquée n'est pas un échec du cours : elle est notée
            noter_latences(f"{prefixe} : {sorte}", mesures, erreur=str(e)[:300])
            continue
        noter_latences(f"{prefixe} : {sorte}", mesures)


# --- Les tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("nom", _notebooks())
def test_notebook_sans_erreur_dans_jupyterlab(nom, page_lab, jupyterlab):
    """Chaque module ouvert dans JupyterLab puis exécuté : ni description Python ni code déplié à l'ouverture,
    aucune erreur, aucun anglais de l'outil dans les sorties. Sur la même exécution (un seul passage par module) :
    00 donne le premier écran (capture du README) et sa question est répondue ; 03 voit son curseur des honoraires
    déplacé et chaque décompte affiché comparé à ``reimb.decompte``. Puis les latences de chaque sorte de widget."""
    assert nom is not None, f"aucun notebook dans {NOTEBOOKS}"
    page = page_lab
    try:
        ouverture, code_visible = ouvrir_et_executer(page, jupyterlab, nom)
        # À l'ouverture, avant toute exécution : ni description Python d'un widget, ni code déplié.
        assert not REPR_PYTHON.search(ouverture), f"{nom} : description Python à l'ouverture : {REPR_PYTHON.search(ouverture)[0]}"
        assert code_visible == 0, f"{nom} : {code_visible} cellule(s) de code dépliée(s)"
        capture(page, f"lab-{nom.removesuffix('.ipynb')}")
        erreurs = page.evaluate(JS_ERREURS_MODELE) + erreurs_affichees(page, PANNEAU)
        assert not erreurs, f"{nom} : erreurs à l'exécution dans JupyterLab :\n" + "\n---\n".join(erreurs)
        sorties = " ".join(page.locator(f"{PANNEAU} .jp-OutputArea-output").all_inner_texts())
        assert not ANGLAIS.search(sorties), f"{nom} : « {ANGLAIS.search(sorties)[0]} » dans les sorties"
        assert not REPR_PYTHON.search(sorties), f"{nom} : « {REPR_PYTHON.search(sorties)[0]} » dans les sorties"
        if nom == NOTEBOOK_BIENVENUE:
            premier_ecran_bienvenue(page)
            question_dans_jupyterlab(page)
        if nom == NOTEBOOK_RESPONSABLE:
            widget = page.locator(f"{PANNEAU} {SORTIE_WIDGET}").first
            montants = bouger_curseur_honoraires(page, widget, "lab-03")
            print("JupyterLab, honoraires → reste à charge :", montants)
        mesurer_widgets(page, f"lab-{nom.removesuffix('.ipynb')}", PANNEAU)
    finally:
        fermer_notebook(page, jupyterlab)


def premier_ecran_bienvenue(page):
    """Le premier écran du cours, tel que le voit un stagiaire : capture pour docs/ et le README
    (``make capture-docs`` la copie dans docs/bienvenue.png)."""
    # Le panneau de gauche replié : le notebook occupe l'écran, comme sur la capture du README.
    page.evaluate("() => { if (!window.jupyterapp.shell.leftCollapsed)"
                  " window.jupyterapp.commands.execute('application:toggle-left-area'); }")
    page.evaluate("() => { const nb = window.jupyterapp.shell.currentWidget.content;"
                  " nb.activeCellIndex = 0; nb.deselectAll(); nb.mode = 'command'; }")
    page.locator(f"{PANNEAU} .jp-Cell").first.scroll_into_view_if_needed()
    page.wait_for_function("() => window.jupyterapp.shell.leftCollapsed")
    page.wait_for_timeout(300)  # l'animation de repli ; pas une assertion
    panneau = page.locator(PANNEAU)
    titre = panneau.locator(".jp-MarkdownCell h1").first
    titre.wait_for()
    assert titre.inner_text().strip(), "le notebook de bienvenue n'a pas de titre visible"
    # L'interface en français (paquet de langue + binder/overrides.json), comme sur Binder.
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Exécution" in menus and "Fichier" in menus, f"JupyterLab n'est pas en français : menus {menus}"
    chemin = capture(page, "premier-ecran")
    if os.environ.get("REIMB_CAPTURE_DOCS") == "1":  # `make capture-docs` : la capture du README
        from PIL import Image  # Pillow vient avec matplotlib

        image = Image.open(chemin).convert("RGB").quantize(colors=128)  # palette : un PNG léger
        image.save(RACINE / "docs" / "bienvenue.png", optimize=True)


def question_dans_jupyterlab(page):
    """Le parcours de la question de 00 dans JupyterLab : répondue faux (erreur habituelle nommée, indice) puis juste."""
    from reimb.presentation import questions_cours

    d = questions_cours.decompte("00-q1")
    question = page.locator(f"{PANNEAU} .widget-vbox:has(> .widget-html .reimb-question)").last
    question.scroll_into_view_if_needed()
    question.wait_for(state="visible", timeout=60_000)
    assert question.locator("button", has_text="Voir la correction").is_hidden()
    repondre = _repondeur(page, question, PANNEAU)
    texte = repondre(str(d.reste_a_charge).replace(".", ","), str(d.amc).replace(".", ","))
    assert question.locator(".reimb-diagnostic[data-erreur='inversion']").count() == 1, texte
    assert "Indice" in texte
    repondre(str(d.amc).replace(".", ","), str(d.reste_a_charge).replace(".", ","))
    assert question.locator(".reimb-correction[data-juste='true']").count() == 1
    capture(page, "lab-00-question")


def verifier_page_voila(page, nom: str) -> None:
    """Une page Voilà telle que la voit le stagiaire : ni anglais, ni description Python, ni code, ni erreur."""
    texte = page.locator("body").inner_text()
    assert not ANGLAIS.search(texte), f"{nom} : « {ANGLAIS.search(texte)[0]} » à l'écran"
    assert not REPR_PYTHON.search(texte), f"{nom} : « {REPR_PYTHON.search(texte)[0]} » à l'écran"
    assert page.locator(".cm-editor, .jp-InputArea-editor, .CodeMirror").count() == 0, f"{nom} : du code à l'écran"
    assert not erreurs_affichees(page), f"{nom} : {erreurs_affichees(page)}"


def attendre_prechauffage(voila, nom: str) -> float:
    """Attend que le noyau préchauffé de ``nom`` ait exécuté le notebook (journal de Voilà, puis processus au repos),
    comme un formateur qui lance l'application avant la séance ; rend l'attente (s) : Voilà est lancé dès le début
    de la session (``voila_tot``), le préchauffage est souvent fini quand le test arrive."""
    debut = time.monotonic()
    motif = f"Kernel pool of {nom} is filled"
    fin = debut + 180
    while motif not in voila.lire_journal() and time.monotonic() < fin:
        time.sleep(0.25)
    attendre_repos(voila)
    return time.monotonic() - debut


# Injecté avant le code de la page : l'instant (ms depuis la navigation) de la première image dessinée avec un décompte
# visible — l'aperçu calculé par le noyau (gabarit « reimb ») ou le widget vivant —, relevé par la page elle-même au
# dessin (requestAnimationFrame) : Playwright, qui interroge la page quand le processeur le lui permet, le voit plus tard
# (son instant est noté à côté).
JS_DECOMPTE_AFFICHE = """
(() => {
  window.__reimb_decompte = null;
  const voir = () => {
    const e = document.querySelector('.reimb-decompte');
    if (!e || !e.checkVisibility({visibilityProperty: true}) || e.getBoundingClientRect().height === 0) return false;
    const apercu = e.closest('.reimb-apercu') !== null;
    requestAnimationFrame(() => { window.__reimb_decompte = {ms: performance.now(), apercu: apercu}; });
    return true;
  };
  const obs = new MutationObserver(() => { if (voir()) obs.disconnect(); });
  obs.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['style', 'class']});
})();
"""


def test_mode_application_voila(page, voila):
    """``make app`` : la page Voilà du contrat responsable, sans code ; son aperçu puis le widget vivant, curseur et
    recalcul. Deux instants notés dans latences.json (des mesures, jamais des assertions) : le premier décompte à
    l'écran, et la page interactive (le premier recalcul après une flèche sur le curseur des honoraires)."""
    notebook_requis(NOTEBOOK_RESPONSABLE)
    prechauffage = attendre_prechauffage(voila, NOTEBOOK_RESPONSABLE)
    page.add_init_script(JS_DECOMPTE_AFFICHE)
    charge = os.getloadavg()[0]  # la machine est partagée : la charge est notée à côté de chaque mesure
    reponse = page.goto(f"{voila.url}/voila/render/{urllib.parse.quote(NOTEBOOK_RESPONSABLE)}?token={voila.jeton}",
                        wait_until="commit")
    page.locator(".reimb-decompte").first.wait_for(state="visible", timeout=180_000)
    vu = page.evaluate("() => performance.now()")  # ms depuis le début de la navigation
    page.wait_for_function("() => window.__reimb_decompte !== null", timeout=60_000)
    premier = page.evaluate("() => window.__reimb_decompte")
    journal = voila.lire_journal()
    infos = dict(attente_prechauffage_s=round(prechauffage, 1), lance_depuis_s=round(time.monotonic() - voila.debut),
                 noyau_prechauffe=bool(re.search(rf"Using pre-heated kernel: \S+ for {re.escape(NOTEBOOK_RESPONSABLE)}", journal)),
                 charge_1min=round(charge, 2))
    noter_latences("voila-03 : navigation → premier décompte à l'écran", [round(premier["ms"], 1)],
                   apercu=premier["apercu"], vu_par_playwright_ms=round(vu, 1), **infos)
    if page.locator(".reimb-apercu").count():
        # L'aperçu, tel que le stagiaire le voit avant le widget vivant : en français, sans code ni erreur.
        verifier_page_voila(page, NOTEBOOK_RESPONSABLE)
    # Le widget vivant remplace l'aperçu ; le curseur est bougé aussitôt.
    page.wait_for_function("() => !document.querySelector('.reimb-apercu')", timeout=180_000)
    widget = page.locator(SORTIE_WIDGET).first
    recalcul = []
    montants = bouger_curseur_honoraires(page, widget, "voila-03", premier_recalcul=recalcul)
    print("Voilà, honoraires → reste à charge :", montants)
    noter_latences("voila-03 : navigation → page interactive (curseur recalcule)", [round(recalcul[0], 1)], **infos)
    page.wait_for_function("() => !document.body.innerText.includes('Loading widget')", timeout=60_000)
    verifier_page_voila(page, NOTEBOOK_RESPONSABLE)
    capture(page, "voila-03")
    mesurer_widgets(page, "voila-03", "body")
    # Le gabarit « reimb » (make app) : le texte d'attente de la page servie est en français.
    texte = reponse.text()
    assert "Préparation de la page" in texte and "Running " not in texte, "texte d'attente de Voilà pas en français"
    assert not erreurs_affichees(page), f"erreurs sur la page Voilà : {erreurs_affichees(page)}"


def _normal(texte: str) -> str:
    return texte.replace("\xa0", " ").replace("\u202f", " ")


def test_parcours_stagiaire_voila(page, voila):
    """Le parcours d'un stagiaire en mode application : le sommaire en français, le module 00 ouvert (ni anglais, ni
    description Python, ni code), puis sa question : une réponse fausse (l'erreur habituelle nommée), la bonne
    réponse, et REPONSES_ENCHAINEES réponses tapées puis validées aussitôt — chacune jugée sur la valeur tapée.

    Les autres modules ne sont ouverts dans Voilà que par ``test_mode_application_voila`` (03) : chacun est exécuté
    dans JupyterLab (aucune erreur, aucun widget cassé, ni anglais ni description Python dans les sorties) et sous
    nbval ; ce que Voilà ajoute (gabarit, code masqué, gestionnaire de widgets de Voilà) est le même pour tous et
    vérifié ici sur 00 et 03, qui ont les sortes de widgets du cours (question, décompte, graphique)."""
    from reimb.presentation import questions_cours
    from reimb.presentation.format import euros

    page.goto(f"{voila.url}/?token={voila.jeton}")
    sommaire = page.locator("body").inner_text()
    assert "Le cours reimb" in sommaire and not ANGLAIS.search(sommaire), sommaire[:300]
    for nom in sorted(p.name for p in NOTEBOOKS.glob("0*.ipynb")):  # chaque module est au sommaire
        assert page.locator(f"a[href*='{urllib.parse.quote(nom)}']").count() >= 1, f"{nom} absent du sommaire"
    # La question de 00 : garantie 125 % chez un médecin CAS en 2016 (l'article de 2015, source 002).
    d = questions_cours.decompte("00-q1")
    attendre_prechauffage(voila, NOTEBOOK_BIENVENUE)
    page.goto(f"{voila.url}/voila/render/{NOTEBOOK_BIENVENUE}?token={voila.jeton}", wait_until="commit")
    page.locator("h1").first.wait_for(state="visible", timeout=180_000)
    question = page.locator(".widget-vbox:has(> .widget-html .reimb-question)").last
    question.wait_for(state="visible", timeout=180_000)
    page.wait_for_function("() => !document.body.innerText.includes('Préparation de la page')"
                           " && !document.body.innerText.includes('Loading widget')", timeout=180_000)
    verifier_page_voila(page, NOTEBOOK_BIENVENUE)
    assert question.locator("button", has_text="Voir la correction").is_hidden(), "correction offerte avant une réponse"
    assert "Indice" not in question.inner_text()

    repondre = _repondeur(page, question, "body")

    # L'erreur habituelle « part de la complémentaire et reste à charge inversés » est reconnue.
    texte = repondre(str(d.reste_a_charge).replace(".", ","), str(d.amc).replace(".", ","))
    assert question.locator(".reimb-diagnostic[data-erreur='inversion']").count() == 1, texte
    assert "Indice" in texte and question.locator("button", has_text="Voir la correction").is_visible()
    # La dernière frappe est toujours celle qui est jugée (la case suivante validée aussitôt, plusieurs fois).
    perimees = []
    for k in range(REPONSES_ENCHAINEES):
        faux = Decimal(20 + k) + Decimal(k % 10) / 10
        texte = repondre(str(d.amc).replace(".", ","), str(faux).replace(".", ","))
        if _normal(euros(faux)) not in texte:
            perimees.append((str(faux), texte[:160]))
    assert not perimees, f"réponses jugées sur une valeur périmée : {perimees}"
    noter_latences("voila-00 : réponses tapées puis validées aussitôt, jugées périmées", [len(perimees)],
                   essais=REPONSES_ENCHAINEES)
    # La bonne réponse.
    repondre(str(d.amc).replace(".", ","), str(d.reste_a_charge).replace(".", ","))
    assert question.locator(".reimb-correction[data-juste='true']").count() == 1
    capture(page, "voila-00-question")


def _repondeur(page, question, racine: str):
    """Une fonction qui remplit les deux cases d'une question, clique « Vérifier » aussitôt et rend le verdict lu."""
    cases = question.locator("input[type=text]")
    verifier = question.locator("button", has_text="Vérifier")
    verdict = question.locator(".reimb-correction")

    def repondre(amc: str, reste: str) -> str:
        avant = _normal(verdict.inner_text()) if verdict.count() else ""
        cases.nth(0).fill(amc)
        cases.nth(1).fill(reste)
        verifier.click()  # aussitôt après la frappe, sans Entrée ni Tab
        page.wait_for_function(
            "([sel, avant]) => { const e = document.querySelector(sel); if (!e) return false;"
            " const t = e.innerText.replace(/[\\u00a0\\u202f]/g, ' '); return t !== avant && !t.includes('Vérification'); }",
            arg=[f"{racine} .reimb-correction", avant], timeout=30_000)
        return _normal(verdict.inner_text())

    return repondre
