"""Les widgets sans navigateur : on règle un contrôle, le rappel recalcule avec reimb, on relit la sortie.

Une saisie refusée doit afficher le message français dans le widget, jamais lever d'exception.
"""

from datetime import date
from decimal import Decimal as D

import ipywidgets as w
import pytest

import reimb
from reimb import Garantie, Medecin, Patient, decompte
from reimb.presentation import widgets
from reimb.presentation.tableaux import attributs, decompte_html

NBSP = "\u00a0"
JOUR_2016 = date(2016, 3, 1)


def _sous_widgets(racine):
    yield racine
    for enfant in getattr(racine, "children", ()):
        yield from _sous_widgets(enfant)


# --- Le widget du contrat responsable (premier widget du notebook 03) --------------------------

def test_contrat_responsable_defaut_hypothese_2():
    ex = widgets.contrat_responsable_interactif()
    d = ex.decompte
    assert (d.amo, d.amc, d.reste_a_charge) == (D("15.10"), D("13.80"), D("21.10"))   # source 002, hypothèse 2
    assert ex.erreur is None
    assert 'class="reimb-decompte"' in ex.sortie.value and 'data-amc="13.80"' in ex.sortie.value
    assert "Ici le plafond joue" in ex.sortie.value and f"130{NBSP}%" in ex.sortie.value
    curseur = ex.controles["honoraires"]
    assert isinstance(curseur, w.FloatSlider) and curseur.step == 1.0 and curseur.value == 50.0
    # Le premier curseur du widget est celui des honoraires (le test navigateur appuie sur → dessus).
    premiers = [x for x in _sous_widgets(ex) if isinstance(x, w.FloatSlider)]
    assert premiers[0] is curseur


def test_contrat_responsable_fleche_droite_un_euro():
    ex = widgets.contrat_responsable_interactif()
    curseur = ex.controles["honoraires"]
    curseur.value = curseur.value + curseur.step          # ce que fait la touche → dans le navigateur
    attendu = decompte(honoraires="51", brss="23", date=JOUR_2016, medecin=Medecin(secteur=2, specialite="specialiste"),
                       patient=Patient(age=45), garantie=Garantie(dptam=150, hors_dptam=150))
    assert ex.decompte == attendu
    assert attendu.reste_a_charge == D("22.10")           # 51 − 15,10 − 13,80 : le plafond ne bouge pas
    assert 'data-honoraires="51.00"' in ex.sortie.value and 'data-reste-a-charge="22.10"' in ex.sortie.value
    assert decompte_html(attendu) in ex.sortie.value


def test_contrat_responsable_niveaux_date_et_table():
    ex = widgets.contrat_responsable_interactif()
    ex.controles["niveau_dptam"].value = "200"
    ex.controles["niveau_hors_dptam"].value = "200 %"     # 2016 : min(225, 200 − 20) = 180 %
    assert ex.decompte.niveau_applique == D(180) and ex.decompte.amc == D("25.30")   # 180 % × 23 = 41,40 − 16,10
    ex.controles["brss"].value = ""                        # la base vient de la table : 23 € pour un non adhérent
    assert ex.decompte.brss == D("23.00")
    ex.controles["adherent"].value = True                  # CAS en 2016 : 28 €, pas de plafond pour lui
    assert ex.decompte.medecin.dptam == "CAS" and ex.decompte.brss == D("28.00")
    assert "pas de plafond légal pour lui" in ex.sortie.value
    ex.controles["date"].value = date(2018, 3, 1)          # OPTAM en 2018
    assert ex.decompte.medecin.dptam == "OPTAM"
    ex.controles["responsable"].value = False
    assert "non responsable" in ex.sortie.value


@pytest.mark.parametrize("controle, valeur, champ", [
    ("brss", "abc", "brss"),
    ("niveau_hors_dptam", "beaucoup", "garantie.hors_dptam"),
    ("niveau_dptam", "", "garantie.dptam"),
    ("honoraires", 10.0, "honoraires"),                   # sous la BRSS
    ("date", None, "date"),
    ("date", date(2004, 6, 1), "date"),                   # avant la table
])
def test_contrat_responsable_saisie_refusee_dans_le_widget(controle, valeur, champ):
    ex = widgets.contrat_responsable_interactif()
    ex.controles[controle].value = valeur                 # ne lève pas
    assert ex.decompte is None and ex.erreur.startswith(champ)
    assert 'class="reimb-erreur"' in ex.sortie.value and "Saisie refusée" in ex.sortie.value
    assert "reimb-decompte" not in ex.sortie.value


def test_float_du_curseur_ramene_sur_son_pas():
    """Le navigateur renvoie parfois 49.99999999999999 pour 50 : le montant est le cran exact du curseur."""
    ex = widgets.contrat_responsable_interactif()
    for envoye, attendu in ((49.99999999999999, "50.00"), (51.00000000000001, "51.00"), (50.1 + 0.2, "50.00")):
        ex.controles["honoraires"].value = envoye
        assert ex.erreur is None and ex.decompte.honoraires == D(attendu)
    ex01 = widgets.decompte_interactif(pas=0.5)
    ex01.controles["honoraires"].value = 26.499999999999996
    assert ex01.decompte.honoraires == D("26.50")


# --- Le widget du décompte (notebook 01) -----------------------------------------------------

def test_decompte_interactif_secteurs():
    ex = widgets.decompte_interactif()
    assert ex.decompte.amo == D("15.10") and ex.decompte.garantie is None          # source 000 à 50 € : 16,10 − 1
    ex.controles["secteur"].value = "2DPTAM"
    assert ex.decompte.medecin.dptam == "CAS" and ex.decompte.amo == D("18.60")    # source 000 : 18,60 €
    ex.controles["secteur"].value = "1"                                             # secteur 1 à 50 € : refusé
    assert ex.decompte is None and "tarif opposable" in ex.erreur and f"28,00{NBSP}€" in ex.sortie.value
    ex.controles["honoraires"].value = 28.0
    assert ex.decompte.reste_a_charge == D("9.40")                                  # 28 − 18,60 ; pas de complémentaire
    ex.controles["secteur"].value = "3"
    ex.controles["honoraires"].value = 60.0
    assert ex.decompte.brss == D("1.22")                                            # tarif d'autorité, spécialiste


def test_decompte_interactif_patient_et_garantie():
    ex = widgets.decompte_interactif(honoraires=30, date_soins=date(2025, 1, 15), secteur="1", specialite="generaliste")
    assert (ex.decompte.amo, ex.decompte.reste_a_charge) == (D("19.00"), D("11.00"))
    ex.controles["complementaire"].value = True                                     # 100 % BRSS par défaut
    assert (ex.decompte.amc, ex.decompte.reste_a_charge) == (D("9.00"), D("2.00"))  # domain-facts, exemple 3
    ex.controles["css"].value = True
    assert ex.decompte.reste_a_charge == D("0.00")
    ex.controles["css"].value = False
    ex.controles["age"].value = 12
    assert ex.decompte.participation_forfaitaire == D("0")
    ex.controles["age"].value = 40
    ex.controles["parcours"].value = False
    assert ex.decompte.taux == D(30)
    attendu = decompte(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=Patient(age=40),
                       garantie=Garantie(), parcours=False)
    assert ex.decompte == attendu


def test_decompte_interactif_lecture_francaise_des_honoraires():
    ex = widgets.decompte_interactif(honoraires=26.5, date_soins=date(2024, 3, 10), secteur="1", specialite="generaliste")
    lecture = next(x for x in _sous_widgets(ex) if isinstance(x, w.HTML) and x is not ex.sortie)
    assert lecture.value == f"26,50{NBSP}€"
    assert ex.decompte.amo == D("17.55")                                            # domain-facts, exemple 1


def test_decompte_interactif_cas_avant_2013_erreur_francaise():
    ex = widgets.decompte_interactif(secteur="2DPTAM", date_soins=date(2013, 6, 1))
    assert ex.decompte is None and ex.erreur.startswith("date") and "01/12/2013" in ex.erreur


# --- Le graphique interactif ----------------------------------------------------------------

def test_reste_a_charge_interactif_image_et_chiffres():
    ex = widgets.reste_a_charge_interactif()
    assert isinstance(ex.sortie, w.Image) and bytes(ex.sortie.value).startswith(b"\x89PNG")
    assert [c.niveau for c in ex.figure.reimb_donnees][::2] == [D(100), D(150), D(200)]
    ex.controles["niveaux"].value = "125; frais réels"
    assert [c.niveau for c in ex.figure.reimb_donnees][::2] == [D(125), "frais réels"]
    avant = bytes(ex.sortie.value)
    ex.controles["niveaux"].value = "100, x"
    assert ex.erreur.startswith("niveaux") and "« x »" in ex.message.value
    assert bytes(ex.sortie.value) == avant                                                 # l'image précédente reste


def test_reste_a_charge_interactif_date_hors_table_dit_pourquoi():
    """Revue de fiabilité M8 : 2030 est hors de la table des paramètres — le widget le dit, en français."""
    ex = widgets.reste_a_charge_interactif()
    figure, avant = ex.figure, bytes(ex.sortie.value)
    ex.controles["date"].value = date(2030, 1, 1)
    assert ex.erreur.startswith("date") and "hors de la période couverte par la table des paramètres" in ex.erreur
    assert 'class="reimb-erreur"' in ex.message.value and "31/12/2026" in ex.message.value
    assert bytes(ex.sortie.value) != avant and ex.figure is figure                       # courbes effacées
    assert all(not ligne.get_visible() for ligne in figure.axes[0].lines)
    assert "le 01/01/2030" in ex.legende.value                                        # le titre dit la date
    assert "hors de la période couverte" in ex.graphique.message_texte
    ex.controles["date"].value = date(2018, 3, 1)                                        # retour à une date valide
    assert ex.erreur is None and ex.message.value == "" and "OPTAM" in ex.figure.reimb_donnees[0].libelle


def test_reste_a_charge_interactif_titre_et_legende_en_html():
    """Le titre et la légende sont du HTML au-dessus de l'image (l'image ne porte que les courbes)."""
    ex = widgets.reste_a_charge_interactif(date_soins=date(2016, 3, 1), niveaux="100, 150")
    html = ex.legende.value
    assert ex.children.index(ex.legende) == ex.children.index(ex.sortie) - 1
    assert "Consultation de spécialiste en secteur 2 le 01/03/2016 — contrat responsable" in html
    assert html.count("border-top") == 4   # deux niveaux, puis les deux types de médecin
    assert "Garantie 100\u00a0% BRSS" in html and "Garantie 150\u00a0% BRSS" in html
    assert "solid #444444\"></span>médecin adhérent CAS" in html and "dashed #444444\"></span>médecin non adhérent" in html
    assert not ex.figure.axes[0].texts[0].get_visible() and ex.figure.axes[0].get_legend() is None
    assert ex.figure.axes[0].get_title() == ""
    ex.controles["responsable"].value = False
    assert "le 01/03/2016 — contrat non responsable" in ex.legende.value


def test_reste_a_charge_interactif_rien_a_redessiner():
    """Une saisie qui ne change pas les courbes (mêmes niveaux écrits autrement) ne renvoie pas d'image ;
    les courbes déjà vues sont reprises du cache, identiques à un calcul neuf."""
    ex = widgets.reste_a_charge_interactif(niveaux="100, 150")
    images = []
    ex.sortie.observe(lambda change: images.append(change["new"]), names="value")
    ex.controles["niveaux"].value = "100 %; 150"
    assert images == [] and ex.erreur is None
    ex.controles["niveaux"].value = "100, 150, 200"                       # un niveau de plus : une image
    ex.controles["niveaux"].value = "100, 150"                            # retour : depuis le cache
    assert len(images) == 2
    neuves = widgets.reste_a_charge_interactif(niveaux="100, 150").figure.reimb_donnees
    assert ex.figure.reimb_donnees == neuves


def test_reste_a_charge_interactif_courbes_absentes_annoncees():
    ex = widgets.reste_a_charge_interactif(date_soins=date(2013, 6, 1), niveaux="100")   # avant le CAS
    assert ex.erreur is None and 'class="reimb-avertissement"' in ex.message.value
    assert "Pas de courbe pour le médecin adhérent" in ex.message.value and "aucun dispositif" in ex.message.value


# --- Les questions ----------------------------------------------------------------------------

def _question():
    d = decompte(honoraires="26.50", date=date(2024, 6, 10), medecin=Medecin(secteur=1), patient=Patient(age=45),
                 garantie=Garantie(100, 100))
    return widgets.question("Combien rembourse la Sécu ?", d, champs=("amo", "reste_a_charge")), d


def test_question_juste():
    q, d = _question()
    assert "Vérifier" in q.sortie.value
    q.controles["amo"].value = "16,55"           # domain-facts, exemple 2 (PF 2 € depuis le 15 mai 2024)
    q.controles["reste_a_charge"].value = "2 €"
    q.verifier.click()
    assert 'data-juste="true"' in q.sortie.value and "Exact" in q.sortie.value
    assert attributs(d)["data-amo"] in q.sortie.value and 'class="reimb-decompte"' in q.sortie.value


def test_question_fausse_puis_correction():
    q, d = _question()
    q.controles["amo"].value = "17.55"            # l'erreur de chronomut à l'envers : la PF de 1 € d'avant mai 2024
    q.controles["reste_a_charge"].value = "2"
    assert q.corriger() is False
    assert 'data-juste="false"' in q.sortie.value and f"17,55{NBSP}€" in q.sortie.value
    assert "reimb-decompte" not in q.sortie.value  # la réponse n'est pas donnée d'office
    q.correction.click()
    assert f"16,55{NBSP}€" in q.sortie.value and 'class="reimb-decompte"' in q.sortie.value


def test_question_saisie_refusee():
    q, _ = _question()
    q.controles["amo"].value = "seize euros"
    q.controles["reste_a_charge"].value = ""
    assert q.corriger() is None
    assert q.sortie.value.count('class="reimb-erreur"') == 2 and "Saisie refusée" in q.sortie.value


def test_aucun_widget_de_capture():
    """Ni Output ni interact : ils échouent sous nbval strict."""
    for ex in (widgets.decompte_interactif(), widgets.contrat_responsable_interactif(), widgets.reste_a_charge_interactif(),
               _question()[0]):
        assert not any(isinstance(x, w.Output) for x in _sous_widgets(ex))


def test_widgets_en_francais():
    ex = widgets.decompte_interactif()
    descriptions = [x.description for x in _sous_widgets(ex) if getattr(x, "description", "")]
    assert "Honoraires" in descriptions and "Date des soins" in descriptions and "Âge du patient" in descriptions
    assert not any(m in " ".join(descriptions).lower() for m in ("fees", "date of", "age ", "sector"))
    assert reimb.ErreurSaisie  # le type d'erreur affiché est celui de la bibliothèque


# --- Le côté du médecin (notebook 02) --------------------------------------------------------

def test_optam_interactif_recalcule_avec_reimb():
    from reimb.optam import evaluer_engagements

    ex = widgets.optam_interactif(annee=2018, opposables=6, avec_depassement=4, honoraires_depassement=50,
                                  taux_reference="40", part_reference="50")
    # 2018 : base du secteur 1 30 € ; 4 × (50 − 30) = 80 € de dépassements sur 10 × 30 = 300 € → 26,67 %.
    e = ex.engagements
    assert (e.dispositif, e.taux_depassement, e.part_opposable, e.respecte) == ("OPTAM", D("26.67"), D("60.00"), True)
    assert 'data-taux-depassement="26.67"' in ex.sortie.value
    ex.controles["honoraires"].value = 80.0      # 4 × 50 = 200 / 300 = 66,67 % > 40 %
    assert ex.engagements.taux_depassement == D("66.67") and ex.engagements.respecte is False
    assert "NON respectés" in ex.sortie.value
    attendu = evaluer_engagements(widgets.activite_simple(2018, 6, 4, 80.0), "OPTAM", taux_reference="40", part_reference="50",
                                  specialite="specialiste")
    assert ex.engagements == attendu
    ex.controles["annee"].value = 2015           # le CAS, base 28 €
    assert ex.engagements.dispositif == "CAS"


@pytest.mark.parametrize("controle, valeur, champ", [
    ("honoraires", 20.0, "activite"),             # sous la base du secteur 1
    ("taux_reference", "beaucoup", "taux_reference"),
])
def test_optam_interactif_saisie_refusee(controle, valeur, champ):
    ex = widgets.optam_interactif()
    ex.controles[controle].value = valeur
    assert ex.erreur.startswith(champ) and "Saisie refusée" in ex.sortie.value


def test_optam_interactif_activite_vide():
    ex = widgets.optam_interactif()
    ex.controles["opposables"].value = 0
    ex.controles["avec_depassement"].value = 0
    assert ex.erreur.startswith("activite") and "vide" in ex.erreur
