"""La page d'évaluation du stagiaire (notebook ou Voilà) : son nom, dix questions, l'enregistrement du résultat.

Règles de la maison (comme :mod:`reimb.presentation.widgets`) : les rappels **affectent** ``HTML.value`` —
jamais ``interact`` ni ``Output``. La « réponse périmée » de la relecture du cours (un clic juste après la
frappe faisait juger la valeur précédente) est traitée deux fois : les cases sont des
``Text(continuous_update=True)`` (leur valeur part vers le noyau à chaque frappe, pas seulement à Entrée),
et la réponse est lue dans les cases au moment de la correction, :data:`DELAI` après le clic, une fois
arrivée la dernière mise à jour (voir :data:`DELAI` pour la mesure).

Rien ne montre la bonne réponse avant un essai : la correction (et le décompte) n'apparaît qu'après la
première réponse lisible, qui est aussi la seule comptée ; la question est alors verrouillée.

>>> vue = VueEvaluation(dossier="/tmp/resultats")
>>> vue.nom.value = "Camille Martin"
>>> vue.commencer()
>>> len(vue.questions)
10
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from html import escape
from pathlib import Path

import ipywidgets as w

from ..evaluation import CHAMPS, Evaluation, Resultat, typo
from .format import date_longue, nombre
from .tableaux import decompte_html

#: Le délai (s) entre le clic sur « Valider » et la lecture des cases, dans un noyau. Mesuré dans Chromium avec
#: Voilà : avec ``continuous_update=True`` seul, une valeur tapée puis validée aussitôt était encore jugée sans sa
#: dernière frappe 1 à 2 fois sur 10 — ipywidgets retient la mise à jour d'une case tant que la précédente n'est pas
#: traitée, alors que le clic part aussitôt. Attendre un instant laisse arriver la dernière mise à jour.
DELAI = 0.4

_BORD = "border-left:0.4em solid {};padding:0.3em 0.6em;line-height:1.4;margin:0.3em 0"
VERT, ROUGE, BLEU = "#009E73", "#D55E00", "#0072B2"


def _encadre(texte_html: str, couleur: str, classe: str, **attributs) -> str:
    attrs = "".join(f' data-{k}="{escape(str(v), quote=True)}"' for k, v in attributs.items())
    return f'<div class="{classe}"{attrs} style="{_BORD.format(couleur)}">{texte_html}</div>'


class VueQuestion(w.VBox):
    """Une question : l'énoncé, une case par montant, « Valider ma réponse », le verdict."""

    def __repr__(self) -> str:
        from .widgets import A_EXECUTER

        return A_EXECUTER

    def __init__(self, evaluation: Evaluation, numero: int, apres_reponse=None):
        self.evaluation = evaluation
        self.numero = numero
        self.question = q = evaluation.questions[numero]
        self._apres = apres_reponse
        self.cases = {
            k: w.Text(value="", placeholder="en euros, par ex. 12,50", description=f"{CHAMPS[k]}, en €",
                      continuous_update=True, style={"description_width": "initial"}, layout=w.Layout(width="46em"))
            for k in q.attendu
        }
        self.bouton = w.Button(description="Valider ma réponse", button_style="primary")
        self.verdict = w.HTML("")
        self.resultat: Resultat | None = None
        self.bouton.on_click(lambda _b: self.au_clic())
        entete = (f'<div class="reimb-question" style="line-height:1.45;margin-top:0.8em">'
                  f"<b>Question {numero + 1}</b> <span style=\"color:#555\">— {escape(q.libelle_competence)}</span><br>"
                  f"{escape(q.enonce)}</div>")
        super().__init__(children=(w.HTML(entete), *self.cases.values(), self.bouton, self.verdict))

    def au_clic(self) -> None:
        """Le clic sur « Valider » : dans un noyau, la correction attend :data:`DELAI` secondes (voir le module)."""
        try:
            boucle = asyncio.get_running_loop()
        except RuntimeError:  # hors d'un noyau (tests) : aucune mise à jour de case ne peut être en retard
            self.valider()
            return
        self.bouton.disabled = True
        self.verdict.value = "<i>Vérification…</i>"
        boucle.call_later(DELAI, self._valider_en_differe)

    def _valider_en_differe(self) -> None:
        try:
            r = self.valider()
        except Exception as e:  # un rappel différé n'a pas de cellule où afficher une erreur : on l'affiche ici
            self.bouton.disabled = False
            self.verdict.value = _encadre(f"<b>Erreur</b> — {escape(str(e))}", ROUGE, "reimb-verdict", juste="")
            return
        if r.juste is None:
            self.bouton.disabled = False

    def valider(self) -> Resultat:
        """Lit les cases maintenant, fait corriger par l'évaluation, affiche le verdict (et la correction)."""
        r = self.evaluation.repondre(self.numero, {k: c.value for k, c in self.cases.items()})
        self.resultat = r
        if r.juste is None:
            _, _, detail = r.message.partition(" — ")
            self.verdict.value = _encadre(f"<b>Réponse non lue</b> — {escape(detail)}", ROUGE, "reimb-verdict", juste="")
            return r
        couleur = VERT if r.juste else ROUGE
        tete, _, suite = r.message.partition(" ")
        if not r.juste:
            tete, _, suite = r.message.partition(" (")
            suite = "(" + suite
        titre = ("✔ " if r.juste else "✘ ") + tete
        tableaux = "".join(decompte_html(d) for d in self.question.decomptes)
        self.verdict.value = _encadre(f"<b>{escape(titre)}</b> {escape(suite)}", couleur, "reimb-verdict",
                                      juste="true" if r.juste else "false", erreur=r.erreur or "") + tableaux
        for c in self.cases.values():
            c.disabled = True
        self.bouton.disabled = True
        if self._apres:
            self._apres()
        return r


class VueEvaluation(w.VBox):
    """La page entière : le nom, puis les questions, puis « Terminer et enregistrer »."""

    def __repr__(self) -> str:
        from .widgets import A_EXECUTER

        return A_EXECUTER

    def __init__(self, dossier="resultats", jour: date | None = None):
        self.dossier = Path(dossier)
        self.jour = jour
        self.evaluation: Evaluation | None = None
        self.questions: list[VueQuestion] = []
        self.nom = w.Text(value="", placeholder="Prénom Nom", description="Votre nom", continuous_update=True,
                          style={"description_width": "8em"}, layout=w.Layout(width="30em"))
        self.demarrer = w.Button(description="Commencer l'évaluation", button_style="primary")
        self.message = w.HTML(typo("<i>Saisissez votre nom, puis cliquez sur « Commencer l'évaluation ».</i>"))
        self.progression = w.HTML("")
        self.terminer = w.Button(description="Terminer et enregistrer", button_style="success")
        self.bilan = w.HTML("")
        self.demarrer.on_click(lambda _b: self.commencer())
        self.terminer.on_click(lambda _b: self.enregistrer())
        super().__init__(children=(self.nom, self.demarrer, self.message))

    def commencer(self) -> None:
        """Crée l'évaluation du stagiaire (le tirage dépend de son nom et du jour) et affiche les questions."""
        nom = " ".join(self.nom.value.split())
        if not nom:
            self.message.value = _encadre("<b>Votre nom est vide.</b> Saisissez-le pour commencer.", ROUGE, "reimb-erreur")
            return
        jour = self.jour or date.today()
        self.evaluation = ev = Evaluation(nom=nom, jour=jour)
        self.nom.disabled = self.demarrer.disabled = True
        self.message.value = typo(f"<p><b>{escape(ev.nom)}</b> — évaluation du {escape(date_longue(jour))} : "
                              f"{len(ev.questions)} questions. Les montants sont les vôtres : votre voisin a les "
                              "mêmes questions avec d'autres nombres. Seule votre première réponse à chaque question "
                              "compte ; la correction s'affiche aussitôt après. Répondez en euros, au centime près "
                              "(par ex. 12,50).</p>")
        self.questions = [VueQuestion(ev, i, self._progresser) for i in range(len(ev.questions))]
        self._progresser()
        self.children = (self.message, *self.questions, self.progression, self.terminer, self.bilan)

    def _progresser(self) -> None:
        ev = self.evaluation
        faites = len(ev.resultats)
        self.progression.value = typo(f"<p><b>Questions traitées : {faites} sur {len(ev.questions)}.</b></p>")

    def enregistrer(self, fin: datetime | None = None) -> tuple[Path, ...]:
        """Enregistre le relevé et l'attestation, affiche le score."""
        ev = self.evaluation
        chemins = ev.enregistrer(self.dossier, fin=fin)
        self.terminer.disabled = True  # l'évaluation est close : plus de réponse ni de second enregistrement
        for vq in self.questions:
            vq.bouton.disabled = True
            for case in vq.cases.values():
                case.disabled = True
        releve = ev.releve()
        sans = len(ev.questions) - len(ev.resultats)
        avertissement = f" ({sans} question{'s' if sans > 1 else ''} sans réponse)" if sans else ""
        self.bilan.value = _encadre(typo(
            f"<b>Évaluation enregistrée.</b> Score : {escape(nombre(ev.score))}\u00a0/\u00a0100{avertissement} ; "
            f"durée : {escape(releve.duree_texte)}. Votre formateur retrouvera votre résultat et votre attestation "
            f"({escape(chemins[-1].name)}) dans le dossier « {escape(str(self.dossier))} »."),
            BLEU, "reimb-bilan", score=str(ev.score))
        return chemins


def page(dossier="resultats", jour: date | None = None) -> VueEvaluation:
    """La page d'évaluation, prête à afficher dans une cellule."""
    return VueEvaluation(dossier, jour)
