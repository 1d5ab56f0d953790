# reimb — deux commandes pour un poste neuf : `make lab` (le cours) et `make test` (tous les tests).
# Seuls Python ≥ 3.11 et make sont nécessaires : le reste s'installe dans .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: lab test test-unitaires test-notebooks notebooks venv-cours venv-test clean test-navigateur test-binder app capture-docs \
        fiche resultats corrige glossaire

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Les marqueurs se refont quand pyproject.toml change.
# JupyterLab en français par défaut : binder/overrides.json, copié comme pour Binder (binder/postBuild).
REGLAGES_LAB := $(VENV)/share/jupyter/lab/settings

# pip installe sans compiler (--no-compile : il compilerait fichier après fichier, sur un seul cœur, ~40 s de
# processeur) ; compileall compile ensuite les mêmes modules sur tous les cœurs (-j 0), avant tout test : rien
# n'est compilé pendant les tests. Comme pip, un fichier qu'il ne sait pas compiler n'arrête pas l'installation.
# Les dossiers tests/ des paquets (ceux de pandas surtout : ~23 % du code installé) ne sont jamais importés : pas
# compilés. La mise à jour de pip compte : le pip 23.2 d'un Python 3.11 met ~90 s au lieu de ~30 s ici.
COMPILER := $(BIN)/python -m compileall -qq -j 0 -x '/tests/' $(VENV)/lib || true

$(VENV)/.cours: pyproject.toml binder/overrides.json | $(BIN)/python
	$(BIN)/python -m pip install -q --no-compile -e '.[notebooks]'
	$(COMPILER)
	mkdir -p $(REGLAGES_LAB) && cp binder/overrides.json $(REGLAGES_LAB)/overrides.json
	touch $@

$(VENV)/.test: pyproject.toml binder/overrides.json | $(BIN)/python
	$(BIN)/python -m pip install -q --no-compile -e '.[test]'
	$(COMPILER)
	mkdir -p $(REGLAGES_LAB) && cp binder/overrides.json $(REGLAGES_LAB)/overrides.json
	touch $@ $(VENV)/.cours

venv-cours: $(VENV)/.cours
venv-test: $(VENV)/.test

## Ouvre le cours dans JupyterLab, sur le notebook de bienvenue.
## (JupyterLab refuse de tourner en root sans --allow-root : ajouté seulement dans ce cas, ex. un conteneur.)
lab: $(VENV)/.cours
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_bienvenue.ipynb

## Tous les tests : bibliothèque (unitaires, propriétés), puis notebooks (nbval strict), puis le cours
## dans un vrai navigateur (sauté, avec son motif affiché, sur un poste sans Chromium).
test: test-unitaires test-notebooks test-navigateur

# ruff : le contrôle (lint) sur tout le code ; la mise en forme vérifiée sur le noyau et ses tests
# (les autres fichiers seront mis en forme par leurs auteurs, pour ne pas mêler les chantiers).
FORMAT_VERIFIE := reimb/regles reimb/explication.py tests/test_regles.py tests/test_scenario.py tests/test_explication.py

# Les tests unitaires et les notebooks sur tous les cœurs (pytest-xdist ; TRAVAILLEURS=0 : un seul processus).
# Les notebooks : un notebook entier par processus (--dist loadfile), chacun dans son noyau, comparé strictement.
# -p no:nbval là où aucun notebook n'est comparé : le greffon nbval importe nbformat, donc jsonschema et sa
# grammaire rfc3987_syntax (~2,5 s de processeur) dans chaque processus pytest, le principal et chaque travailleur.
TRAVAILLEURS ?= auto
SANS_NBVAL := -p no:nbval
test-unitaires: $(VENV)/.test
	$(BIN)/ruff check reimb tests benchmarks
	$(BIN)/ruff format --check $(FORMAT_VERIFIE)
	$(BIN)/python -m pytest tests reimb --doctest-modules --ignore=tests/navigateur --ignore=tests/binder \
		$(SANS_NBVAL) -n $(TRAVAILLEURS) --dist load

test-notebooks: $(VENV)/.test
	$(BIN)/python -m pytest --nbval notebooks --nbval-sanitize-with nbval_sanitize.cfg -p no:randomly \
		-n $(TRAVAILLEURS) --dist loadfile

## Réexécute tous les notebooks depuis un noyau neuf et les enregistre (sorties et état des widgets) :
## à faire après tout changement d'un texte, d'un tarif ou d'un rendu, puis `make test-notebooks`.
notebooks: $(VENV)/.test
	$(BIN)/python -m reimb.presentation.executer notebooks/*.ipynb

## Le cours dans Chromium (celui de Debian : apt-get install chromium ; jamais `playwright install`) :
## JupyterLab et Voilà sur 127.0.0.1, chaque notebook exécuté, un curseur déplacé, captures dans
## artefacts/navigateur/. REIMB_NAVIGATEUR_OBLIGATOIRE=1 : l'absence de Chromium devient un échec.
test-navigateur: $(VENV)/.test
	$(BIN)/python -m pytest tests/navigateur $(SANS_NBVAL) -p no:randomly -rs --durations=0

## Binder sans Docker : un environnement neuf depuis binder/ seul (réseau vers PyPI), l'extension des
## widgets vérifiée, chaque notebook exécuté. Journaux et durées dans artefacts/binder/.
test-binder: $(VENV)/.test
	REIMB_TEST_BINDER=1 $(BIN)/python -m pytest tests/binder -p no:randomly -rs -s

## Le mode application : les exemples interactifs en pages Voilà, sans code, sur 127.0.0.1.
## Réglages dans voila.json (lu dans le dossier courant) : un noyau préchauffé par notebook (le notebook y
## est déjà exécuté quand la page est demandée), noyaux inactifs depuis 30 min arrêtés, seules les extensions
## des widgets chargées. Laisser ~30 s après le lancement pour préchauffer.
## Gabarit « reimb » (voila/templates/reimb, trouvé par JUPYTER_PATH) : celui de Voilà, textes d'attente en français,
## un sommaire en français (tree.html, classic_tree dans voila.json) au lieu de la liste de fichiers de Voilà, et
## une page montrée avant son JavaScript (index.html.j2) : sorties écrites par le serveur, aperçu de chaque widget
## (calculé par le noyau) remplacé par le widget vivant. Premier décompte à l'écran ≈ 0,5-1 s (2 cœurs chargés ;
## 2,3-4,2 s avant), widgets utilisables après le JavaScript de Voilà (≈ 3-5 s) ; benchmarks/README.md.
APP_PORT ?= 8866
app: $(VENV)/.cours
	@echo "Mode application : le sommaire du cours, en français, sur http://127.0.0.1:$(APP_PORT)/"
	@echo "(chaque module s'ouvre sans code ; Ctrl+C pour arrêter)."
	@echo "Préparation des pages (un noyau par notebook, ~30 s au lancement), puis chaque page s'ouvre aussitôt."
	JUPYTER_PATH=$(CURDIR) $(BIN)/voila notebooks/ --no-browser --Voila.ip=127.0.0.1 --port=$(APP_PORT) \
		--Voila.config_file_paths=$(CURDIR) --template=reimb

## Refait docs/bienvenue.png (la capture du README) à partir du navigateur.
capture-docs: $(VENV)/.test
	REIMB_CAPTURE_DOCS=1 $(BIN)/python -m pytest tests/navigateur -p no:randomly -rs -k "jupyterlab and 00_bienvenue"

## Le kit du formateur (docs/formateur/README.md) :
## - make fiche : la fiche mémo PDF des valeurs du jour (DATE=2026-03-02 pour une autre date) → artefacts/ ;
## - make resultats : les relevés de l'évaluation (artefacts/resultats/, écrits par le notebook 06) en un tableau ;
## - make corrige : refait docs/formateur/corrige.md et corrige_cours.md (après un changement des questions) ;
## - make glossaire : le glossaire en page HTML imprimable → artefacts/glossaire.html.
DATE ?= $(shell date +%F)
fiche: $(VENV)/.cours
	$(BIN)/python -m reimb.presentation.fiche --date $(DATE) --sortie artefacts/fiche_$(DATE).pdf

resultats: $(VENV)/.cours
	$(BIN)/python -m reimb.presentation.resultats artefacts/resultats --sortie artefacts/resultats.xlsx

corrige: $(VENV)/.cours
	$(BIN)/python -m reimb.presentation.corrige --sortie docs/formateur/corrige.md
	$(BIN)/python -m reimb.presentation.questions_cours --sortie docs/formateur/corrige_cours.md

glossaire: $(VENV)/.cours
	$(BIN)/python -m reimb.presentation.glossaire_page --sortie artefacts/glossaire.html

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
