"""L'évaluation nominative : tirage par stagiaire, correction par reimb, erreurs habituelles, relevé et attestation."""

import json
from datetime import date, datetime, UTC
from decimal import Decimal

import pytest

import reimb
from reimb.erreurs import ErreurSaisie
from reimb.evaluation import COMPETENCES, ERREURS, Evaluation, charger, graine_de, nom_de_fichier

JOUR = date(2026, 3, 2)
DEBUT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIN = datetime(2026, 3, 2, 9, 42, 30, tzinfo=UTC)


def _sans_nbsp(texte):
    return texte.replace("\u00a0", " ")


def _bonnes(q):
    return {k: str(v) for k, v in q.attendu.items()}


def _signature(ev):
    return [(q.enonce, q.attendu) for q in ev.questions]


def test_au_moins_dix_questions_qui_couvrent_chaque_competence():
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    assert len(ev.questions) >= 10
    assert {q.competence for q in ev.questions} == set(COMPETENCES)
    for q in ev.questions:
        assert q.enonce and q.attendu and all(isinstance(v, Decimal) for v in q.attendu.values())
        assert "fiche de faits" not in q.enonce and "à vérifier" not in q.enonce


def test_meme_stagiaire_meme_jour_memes_questions():
    a = Evaluation(nom="Camille Martin", jour=JOUR)
    b = Evaluation(nom="  camille   MARTIN ", jour=JOUR)  # espaces et casse ne changent pas le tirage
    assert a.graine == b.graine == graine_de("Camille Martin", JOUR)
    assert _signature(a) == _signature(b)


def test_graine_stable_entre_deux_lancements():
    # SHA-256 de « camille martin|2026-03-02 », 8 premiers octets : ne dépend pas de PYTHONHASHSEED.
    assert graine_de("Camille Martin", JOUR) == 8323398857396373066


def test_deux_stagiaires_ont_des_montants_differents():
    a = Evaluation(nom="Camille Martin", jour=JOUR)
    b = Evaluation(nom="Paul Durand", jour=JOUR)
    assert _signature(a) != _signature(b)
    differentes = sum(1 for qa, qb in zip(a.questions, b.questions) if (qa.enonce, qa.attendu) != (qb.enonce, qb.attendu))
    assert differentes >= len(a.questions) // 2


def test_un_autre_jour_change_le_tirage():
    assert _signature(Evaluation(nom="Camille Martin", jour=JOUR)) != _signature(Evaluation(nom="Camille Martin", jour=date(2026, 3, 3)))


def test_graine_explicite():
    assert _signature(Evaluation(nom="A", jour=JOUR, graine=7)) == _signature(Evaluation(nom="B", jour=JOUR, graine=7))


def test_les_soins_sont_dates_dans_la_derniere_annee_de_la_table():
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    for q in ev.questions:
        assert q.decompte is not None
        assert date(2026, 1, 1) <= q.decompte.date <= JOUR


def test_les_reponses_attendues_sont_celles_de_reimb():
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    for q in ev.questions:
        d = q.decompte
        refait = reimb.decompte(honoraires=d.honoraires, date=d.date, medecin=d.medecin, patient=d.patient,
                                garantie=d.garantie, parcours=d.parcours)
        for champ, valeur in q.attendu.items():
            if champ != "economie":
                assert getattr(refait, champ) == valeur


def test_valeurs_calculees_a_la_main_pour_camille_martin():
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    q = {q.competence: q for q in ev.questions}
    # Spécialiste OPTAM, 43 € : base du secteur 1 en 2026, CS 23 + MPC 3,50 + MCS 5 = 31,50 €.
    assert q["base"].attendu == {"brss": Decimal("31.50")}
    # Spécialiste OPTAM, parcours : 70 % × 31,50 = 22,05 ; − PF 2 € = 20,05 €.
    assert q["part_secu"].attendu == {"amo": Decimal("20.05")}
    # Non-adhérent, 86 €, contrat 150 % chez les adhérents : plafond 150 − 20 = 130 % ; 130 % × 23 = 29,90 − 16,10 = 13,80 €.
    assert q["complementaire"].attendu == {"amc": Decimal("13.80")}
    # Généraliste secteur 1 hors parcours, 30 € : 30 % × 30 = 9 − 2 = 7 € ; AMC = 30 − 9 − majoration 12 = 9 ; RAC 30 − 7 − 9 = 14 €.
    assert q["hors_parcours"].attendu == {"amo": Decimal("7.00"), "reste_a_charge": Decimal("14.00")}


def test_toutes_justes_donne_100():
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    for q in ev.questions:
        r = ev.repondre(q.numero, _bonnes(q))
        assert r.juste is True and r.compte and r.message.startswith("Exact")
    assert ev.score == Decimal(100)
    assert ev.termine


def test_aucune_reponse_donne_0():
    assert Evaluation(nom="Camille Martin", jour=JOUR).score == Decimal(0)


@pytest.mark.parametrize("saisie", ["{}", "{},00", "{} €", "{}\u00a0€", " {} "])
def test_decimales_a_la_francaise(saisie):
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    q = next(q for q in ev.questions if len(q.attendu) == 1 and q.attendu[next(iter(q.attendu))] == q.attendu[next(iter(q.attendu))].to_integral_value())
    champ, valeur = next(iter(q.attendu.items()))
    r = ev.repondre(q.numero, {champ: saisie.format(int(valeur))})
    assert r.juste is True


def test_tolerance_un_centime():
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    q = ev.questions[1]  # part Sécu : 20,05 €
    assert ev.repondre(q.numero, {"amo": "20,06"}).juste is True
    ev2 = Evaluation(nom="Camille Martin", jour=JOUR)
    assert ev2.repondre(q.numero, {"amo": "20,07"}).juste is False


def test_seule_la_premiere_reponse_compte():
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    q = ev.questions[0]
    assert ev.repondre(0, {"brss": "1"}).juste is False
    r = ev.repondre(0, _bonnes(q))
    assert r.juste is True and not r.compte and "seule la première compte" in r.message
    assert ev.score == Decimal(0)


def test_saisie_illisible_ne_compte_pas():
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    r = ev.repondre(0, {"brss": "quinze"})
    assert r.juste is None and not r.compte and "« quinze » n'est pas un montant" in _sans_nbsp(r.message)
    assert 0 not in ev.resultats
    r = ev.repondre(0, {"brss": ""})
    assert r.juste is None and "vide" in r.message
    assert ev.repondre(0, _bonnes(ev.questions[0])).juste is True


def test_pas_de_reponse_avant_un_essai():
    """Le message d'une saisie illisible ne donne pas la bonne réponse."""
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    for q in ev.questions:
        r = ev.repondre(q.numero, {k: "abc" for k in q.attendu})
        for v in q.attendu.values():
            assert reimb.montants.euros(v) not in r.message


def test_mauvais_numero_ou_champ():
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    with pytest.raises(ErreurSaisie, match="numero"):
        ev.repondre(99, {"brss": "1"})
    with pytest.raises(ErreurSaisie, match="non demandé"):
        ev.repondre(0, {"amc": "1"})


def test_nom_et_jour_verifies():
    with pytest.raises(ErreurSaisie, match="nom"):
        Evaluation(nom=" ", jour=JOUR)
    with pytest.raises(ErreurSaisie, match="jour"):
        Evaluation(nom="A", jour="2026-03-02")


def _reponse_erronee(q, e):
    rep = _bonnes(q)
    rep.update({k: str(v) for k, v in e.reponse.items()})
    return rep


@pytest.mark.parametrize("nom", ["Camille Martin", "Paul Durand", "Inès Lefèvre", "Marc Petit", "Zoé Roux"])
def test_chaque_erreur_habituelle_est_reconnue(nom):
    for q in Evaluation(nom=nom, jour=JOUR).questions:
        assert q.erreurs, q.competence
        for e in q.erreurs:
            ev = Evaluation(nom=nom, jour=JOUR)
            r = ev.repondre(q.numero, _reponse_erronee(q, e))
            assert r.juste is False
            # Deux erreurs peuvent donner les mêmes montants : la première reconnue les nomme.
            premiere = next(x for x in q.erreurs if all(abs(Decimal(_reponse_erronee(q, e)[k]) - v) <= Decimal("0.01")
                                                         for k, v in x.reponse.items()))
            assert r.erreur == premiere.code
            assert ERREURS[premiere.code].split(" : ")[0][:30] in _sans_nbsp(r.message)


def test_les_erreurs_demandees_par_le_cours_sont_toutes_diagnostiquees():
    vues = set()
    for i in range(40):
        for q in Evaluation(nom=f"Stagiaire {i}", jour=JOUR).questions:
            vues |= {e.code for e in q.erreurs}
    # PF oubliée, Sécu avant PF (AMO et AMC), « 20 points » lus 20 %, honoraires pris pour la base, AMC et RAC inversés.
    assert {"oubli_pf", "avant_pf", "amo_net", "vingt_pour_cent", "honoraires_base", "inversion"} <= vues
    assert vues <= set(ERREURS)
    from reimb.evaluation import ERREURS_COURTES

    assert set(ERREURS_COURTES) == set(ERREURS)


def test_exemples_d_erreurs_a_la_main():
    ev = Evaluation(nom="Camille Martin", jour=JOUR)
    q = {q.competence: q for q in ev.questions}
    # 150 % → plafond 130 % ; lu « 20 % » : 150 × 0,8 = 120 % ; 120 % × 23 = 27,60 − 16,10 = 11,50 €.
    r = ev.repondre(q["complementaire"].numero, {"amc": "11,50"})
    assert r.erreur == "vingt_pour_cent" and "« 20 points » comme 20 %" in _sans_nbsp(r.message)
    # Part Sécu avant PF : 70 % × 31,50 = 22,05 €.
    assert ev.repondre(q["part_secu"].numero, {"amo": "22,05"}).erreur == "avant_pf"
    # Reste à charge : AMC 17,33 / RAC 31,62 (125 % × 31,50 = 39,38 − 22,05 = 17,33 ; 69 − 20,05 − 17,33 = 31,62), inversés.
    assert q["reste_a_charge"].attendu == {"amc": Decimal("17.33"), "reste_a_charge": Decimal("31.62")}
    assert ev.repondre(q["reste_a_charge"].numero, {"amc": "31,62", "reste_a_charge": "17,33"}).erreur == "inversion"


def test_enregistrer_et_relire(tmp_path):
    ev = Evaluation(nom="Camille Martin", jour=JOUR, debut=DEBUT)
    for q in ev.questions[:7]:
        ev.repondre(q.numero, _bonnes(q))
    ev.repondre(7, {"amo": "19", "reste_a_charge": "2"})
    chemins = ev.enregistrer(tmp_path / "resultats", fin=FIN)
    assert [c.name for c in chemins] == ["2026-03-02_camille-martin.json", "2026-03-02_camille-martin.pdf"]
    assert all(c.exists() for c in chemins)
    brut = json.loads(chemins[0].read_text(encoding="utf-8"))
    assert brut["nom"] == "Camille Martin" and brut["score"] == "70.00" and brut["duree_secondes"] == 42 * 60 + 30
    releve = charger(chemins[0])
    assert releve == Evaluation.charger(chemins[0])
    assert (releve.nom, releve.jour, releve.score) == ("Camille Martin", JOUR, Decimal("70.00"))
    assert releve.duree.total_seconds() == 2550 and releve.duree_texte == "43\u00a0min"
    assert releve.competences()["hors_parcours"] == (0, 1) and releve.competences()["base"] == (1, 1)
    assert releve.questions[7]["erreur"] == "taux_parcours"
    assert releve.questions[9]["juste"] is None


def test_attestation_pdf_lisible(tmp_path):
    from pypdf import PdfReader

    ev = Evaluation(nom="Inès Lefèvre", jour=JOUR, debut=DEBUT)
    for q in ev.questions:
        ev.repondre(q.numero, _bonnes(q))
    _, pdf = ev.enregistrer(tmp_path, fin=FIN)
    assert pdf.name == "2026-03-02_ines-lefevre.pdf"
    lecteur = PdfReader(str(pdf))
    assert len(lecteur.pages) <= 2
    texte = " ".join(p.extract_text() for p in lecteur.pages).replace("\u00a0", " ")
    for attendu in ("Inès Lefèvre", "2 mars 2026", "43 min", "100 / 100", "Modules de la formation", "03 — Le contrat responsable",
                    "Participation forfaitaire", "juste"):
        assert attendu in texte, attendu
    assert "faux" not in texte


def test_nom_de_fichier():
    assert nom_de_fichier("Jean-Éric d'Ornano", JOUR) == "2026-03-02_jean-eric-d-ornano"


def test_relevé_invalide(tmp_path):
    f = tmp_path / "x.json"
    f.write_text("{}", encoding="utf-8")
    with pytest.raises(ErreurSaisie, match="relevé"):
        charger(f)


# --- La page du stagiaire (ipywidgets) ---------------------------------------------------------

def _page(tmp_path):
    from reimb.presentation.evaluation_vue import VueEvaluation

    vue = VueEvaluation(dossier=tmp_path, jour=JOUR)
    vue.nom.value = "Camille Martin"
    vue.demarrer.click()
    return vue


def _tout_le_html(widget):
    import ipywidgets as w

    if isinstance(widget, w.HTML):
        return widget.value
    return "".join(_tout_le_html(c) for c in getattr(widget, "children", ()))


def test_page_ne_montre_aucune_reponse_avant_un_essai(tmp_path):
    vue = _page(tmp_path)
    assert len(vue.questions) == len(vue.evaluation.questions)
    html = _tout_le_html(vue)
    assert all(vq.verdict.value == "" for vq in vue.questions)
    assert "bonne réponse" not in html and "Exact" not in html
    assert "reimb-decompte" not in html


def test_page_lit_la_case_au_moment_du_clic(tmp_path):
    """La réponse périmée : la valeur jugée est celle de la case au moment du clic, et la case se synchronise à chaque frappe."""
    vue = _page(tmp_path)
    q = vue.questions[1]
    case = q.cases["amo"]
    assert case.continuous_update is True
    case.value = "22,05"
    case.value = "20,05"  # le stagiaire corrige puis clique aussitôt
    q.bouton.click()
    assert q.resultat.juste is True and 'data-juste="true"' in q.verdict.value
    assert case.disabled and q.bouton.disabled  # la première réponse est la seule qui compte
    assert "reimb-decompte" in q.verdict.value  # la correction apparaît après l'essai


def test_page_erreur_nommee_et_saisie_illisible(tmp_path):
    vue = _page(tmp_path)
    q = vue.questions[0]
    q.cases["brss"].value = "quinze"
    q.bouton.click()
    assert q.resultat.juste is None and not q.bouton.disabled and "Réponse non lue" in q.verdict.value
    q.cases["brss"].value = str(q.question.decompte.honoraires)
    q.bouton.click()
    assert 'data-erreur="honoraires_base"' in q.verdict.value


def test_page_enregistre(tmp_path):
    vue = _page(tmp_path)
    for vq in vue.questions:
        for k, case in vq.cases.items():
            case.value = str(vq.question.attendu[k]).replace(".", ",")
        vq.bouton.click()
    chemins = vue.enregistrer(fin=datetime.now(UTC))
    assert all(c.exists() for c in chemins)
    assert 'data-score="100.00"' in vue.bilan.value
    assert vue.terminer.disabled  # une fois enregistrée, l'évaluation est close


# --- Le corrigé du formateur -------------------------------------------------------------------

def test_corrige_contient_chaque_reponse_attendue(tmp_path):
    from reimb.presentation import corrige

    texte = corrige.corrige("Paul Durand", JOUR, notebooks=None)
    ev = Evaluation(nom="Paul Durand", jour=JOUR)
    for q in ev.questions:
        assert f"Question {q.numero + 1}" in texte
        for v in q.attendu.values():
            assert reimb.montants.euros(v) in texte
    sortie = tmp_path / "corrige.md"
    assert corrige.main(["--nom", "Paul Durand", "--date", "2026-03-02", "--sortie", str(sortie)]) == 0
    assert "Exemple complet\u00a0: Paul Durand" in sortie.read_text(encoding="utf-8")


def test_corrige_du_depot_est_celui_de_l_exemple():
    """docs/formateur/corrige.md est généré (make corrige) : sa partie « évaluation » suit les questions."""
    from pathlib import Path

    from reimb.presentation import corrige

    depot = Path(__file__).resolve().parents[1] / "docs" / "formateur" / "corrige.md"
    partie = corrige.corrige(notebooks=None).split("## Les questions des notebooks")[0].rstrip()
    assert depot.read_text(encoding="utf-8").startswith(partie)


def test_evaluation_sans_widgets_ni_graphiques():
    import subprocess
    import sys

    code = ("import sys, reimb.evaluation; "
            "print([m for m in ('ipywidgets', 'matplotlib', 'reimb.presentation', 'fpdf') if m in sys.modules])")
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert sortie == "[]"


def test_page_dans_un_noyau_la_derniere_frappe_arrivee_apres_le_clic_compte(tmp_path):
    """Dans un noyau, ipywidgets peut livrer la dernière frappe après le clic : la correction attend DELAI."""
    import asyncio

    from reimb.presentation import evaluation_vue

    vue = _page(tmp_path)
    q = vue.questions[1]  # part Sécu de Camille : 20,05 €

    async def scenario():
        q.cases["amo"].value = "20,0"
        q.au_clic()  # le clic arrive avant la dernière frappe…
        assert "Vérification" in q.verdict.value and q.bouton.disabled
        q.cases["amo"].value = "20,05"  # …qui arrive juste après
        await asyncio.sleep(evaluation_vue.DELAI + 0.2)

    asyncio.run(scenario())
    assert q.resultat.juste is True and 'data-juste="true"' in q.verdict.value
