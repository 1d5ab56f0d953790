# reimb — deux commandes pour un poste neuf : `make lab` (le cours) et `make test` (tous les tests).
# Seuls Python ≥ 3.11 et make sont nécessaires : le reste s'installe dans .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: lab test test-unitaires test-notebooks venv-cours venv-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Les marqueurs se refont quand pyproject.toml change.
$(VENV)/.cours: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[notebooks]'
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.cours

venv-cours: $(VENV)/.cours
venv-test: $(VENV)/.test

## Ouvre le cours dans JupyterLab, sur le notebook de bienvenue.
lab: $(VENV)/.cours
	$(BIN)/jupyter lab notebooks/00_bienvenue.ipynb

## Tous les tests : bibliothèque (unitaires, propriétés), puis notebooks (nbval strict).
test: test-unitaires test-notebooks

test-unitaires: $(VENV)/.test
	$(BIN)/python -m pytest tests

test-notebooks: $(VENV)/.test
	$(BIN)/python -m pytest --nbval notebooks --sanitize-with nbval_sanitize.cfg -p no:randomly

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
