"""La couche d'affichage : format français exact, contrat HTML des décomptes, chiffres des graphiques.

Les montants attendus viennent des exemples des sources (cités) ; les graphiques sont comparés au
moteur point par point.
"""

import io
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest

import reimb
from reimb import Garantie, Medecin, Patient, decompte
from reimb.presentation import format as fmt
from reimb.presentation import graphiques, tableaux

NBSP = "\u00a0"
JOUR_2016 = date(2016, 3, 1)
ADULTE = Patient(age=45)
CAS_SPE = Medecin(secteur=2, dptam="CAS", specialite="specialiste")
NON_CAS_SPE = Medecin(secteur=2, specialite="specialiste")


def hypothese_2():
    """Source 002, hypothèse 2 : non-CAS, 50 €, BRSS 23 €, garantie 150 % / 150 % responsable."""
    return decompte(honoraires="50", date=JOUR_2016, medecin=NON_CAS_SPE, patient=ADULTE,
                    garantie=Garantie(dptam=150, hors_dptam=150, responsable=True))


# --- Format -------------------------------------------------------------------------------------

@pytest.mark.parametrize("valeur, attendu", [
    (D("18.6"), f"18,60{NBSP}€"),
    (D("0"), f"0,00{NBSP}€"),
    (D("21.10"), f"21,10{NBSP}€"),
    (D("1234.5"), f"1\u202f234,50{NBSP}€"),
    ("13,80", f"13,80{NBSP}€"),
])
def test_euros(valeur, attendu):
    assert fmt.euros(valeur) == attendu


@pytest.mark.parametrize("valeur, attendu", [
    (D("17.5"), f"17,5{NBSP}%"), (D("130"), f"130{NBSP}%"), (D(70), f"70{NBSP}%"), (D("12.25"), f"12,25{NBSP}%"),
])
def test_pourcent(valeur, attendu):
    assert fmt.pourcent(valeur) == attendu


def test_dates_et_niveaux():
    assert fmt.date_longue(date(2016, 3, 1)) == "1er mars 2016"
    assert fmt.date_longue(date(2024, 5, 15)) == "15 mai 2024"
    assert fmt.date_courte(date(2024, 5, 15)) == "15/05/2024"
    assert fmt.niveau(D(150)) == f"150{NBSP}% BRSS"
    assert fmt.niveau("frais réels") == "frais réels"
    assert fmt.niveau(None) == "pas de complémentaire"


@pytest.mark.parametrize("valeur, attendu", [
    (D("50.00"), "50.00"), (D("150"), "150"), (D("1.5E+2"), "150"), (D("17.5"), "17.5"),
    (None, ""), (True, "true"), (False, "false"), ("frais réels", "frais réels"), (date(2016, 3, 1), "2016-03-01"), (45, "45"),
])
def test_attribut(valeur, attendu):
    assert fmt.attribut(valeur) == attendu


def test_decimal_saisi_float_par_son_texte():
    assert fmt.decimal_saisi(50.1, "honoraires") == D("50.1")
    assert fmt.decimal_saisi(0.1 + 0.2, "x") == D("0.30000000000000004")  # le texte exact du float, pas 0.3 inventé
    assert fmt.decimal_saisi("18,60 €", "x") == D("18.60")
    for mauvais in ("", "  ", "abc", float("nan")):
        with pytest.raises(reimb.ErreurSaisie):
            fmt.decimal_saisi(mauvais, "honoraires")


def test_decimal_curseur_exact_sur_le_pas():
    assert fmt.decimal_curseur(49.99999999999999, 0.0, 1.0, "honoraires") == D("50")
    assert fmt.decimal_curseur(26.499999999999996, 0.0, 0.5, "honoraires") == D("26.5")
    assert fmt.decimal_curseur(0.30000000000000004, 0.0, 0.1, "x") == D("0.3")
    with pytest.raises(reimb.ErreurSaisie):
        fmt.decimal_curseur(float("nan"), 0.0, 1.0, "honoraires")


# --- Le contrat HTML ----------------------------------------------------------------------------

class _Div(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attrs = None

    def handle_starttag(self, tag, attrs):
        if tag == "div" and dict(attrs).get("class") == "reimb-decompte" and self.attrs is None:
            self.attrs = dict(attrs)


def _div(html):
    p = _Div()
    p.feed(html)
    assert p.attrs is not None, "pas de <div class=\"reimb-decompte\">"
    return p.attrs


def test_contrat_html_hypothese_2_exact():
    """L'exemple du contrat, attribut par attribut."""
    a = _div(tableaux.decompte_html(hypothese_2()))
    attendu = {
        "data-date": "2016-03-01", "data-honoraires": "50.00", "data-brss": "23.00", "data-secteur": "2",
        "data-droit-permanent": "false", "data-dptam": "", "data-specialite": "specialiste", "data-age": "45",
        "data-css": "false", "data-ald": "false", "data-maternite": "false", "data-parcours": "true",
        "data-garantie-dptam": "150", "data-garantie-hors-dptam": "150", "data-responsable": "true",
        "data-amo-brut": "16.10", "data-participation-forfaitaire": "1.00", "data-amo": "15.10",
        "data-amc": "13.80", "data-reste-a-charge": "21.10",
    }
    for cle, valeur in attendu.items():
        assert a[cle] == valeur, cle
    assert html_commence_par_le_div(tableaux.decompte_html(hypothese_2()))


def html_commence_par_le_div(html):
    return html.startswith('<div class="reimb-decompte" data-date="2016-03-01" data-honoraires="50.00" data-brss="23.00" data-secteur="2"')


def _reconstruire(a):
    """Ce que fera le test navigateur : rebâtir les entrées depuis les attributs et rappeler reimb."""
    bool_ = {"true": True, "false": False}
    garantie = None
    if a["data-garantie-dptam"]:
        garantie = Garantie(dptam=a["data-garantie-dptam"], hors_dptam=a["data-garantie-hors-dptam"],
                            responsable=bool_[a["data-responsable"]])
    return decompte(
        honoraires=a["data-honoraires"], brss=a["data-brss"], date=date.fromisoformat(a["data-date"]),
        medecin=Medecin(secteur=int(a["data-secteur"]), dptam=a["data-dptam"] or None, specialite=a["data-specialite"],
                        droit_permanent=bool_[a["data-droit-permanent"]]),
        patient=Patient(age=int(a["data-age"]), css=bool_[a["data-css"]], ald=bool_[a["data-ald"]],
                        maternite=bool_[a["data-maternite"]]),
        garantie=garantie, parcours=bool_[a["data-parcours"]],
    )


CAS_VARIES = [
    hypothese_2,
    lambda: decompte(honoraires="50", date=JOUR_2016, medecin=CAS_SPE, patient=ADULTE, garantie=Garantie(dptam=200, hors_dptam=200)),
    lambda: decompte(honoraires="50", date=JOUR_2016, medecin=NON_CAS_SPE, patient=ADULTE, garantie=Garantie(dptam="frais réels", hors_dptam=125)),
    lambda: decompte(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=Patient(age=30, css=True)),
    lambda: decompte(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=Patient(age=60, ald=True)),
    lambda: decompte(honoraires="30", date=date(2025, 1, 15), medecin=Medecin(secteur=1), patient=Patient(age=10), parcours=False),
    lambda: decompte(honoraires="30", date=JOUR_2016, medecin=Medecin(secteur=1, specialite="specialiste"), patient=ADULTE,
                     parcours=False, garantie=Garantie(dptam=200, hors_dptam=200)),
    lambda: decompte(honoraires="60", date=date(2025, 2, 10), medecin=Medecin(secteur=3), patient=ADULTE),
    lambda: decompte(honoraires="70", date=date(2020, 6, 1), medecin=Medecin(secteur=1, droit_permanent=True, specialite="specialiste"),
                     patient=Patient(age=30, maternite=True), garantie=Garantie(dptam=150, hors_dptam=130, responsable=False)),
]


@pytest.mark.parametrize("fabrique", CAS_VARIES)
def test_contrat_html_reconstruit_le_decompte(fabrique):
    d = fabrique()
    a = _div(tableaux.decompte_html(d))
    d2 = _reconstruire(a)
    for champ in ("honoraires", "brss", "amo_brut", "participation_forfaitaire", "amo", "amc", "reste_a_charge"):
        assert fmt.attribut(getattr(d2, champ)) == a[f"data-{champ.replace('_', '-')}"], champ
    assert (d2.amo, d2.amc, d2.reste_a_charge) == (d.amo, d.amc, d.reste_a_charge)
    if d.garantie is None:
        assert a["data-garantie-dptam"] == a["data-garantie-hors-dptam"] == a["data-responsable"] == ""


def test_html_francais_et_echappe():
    d = hypothese_2()
    html = tableaux.decompte_html(d)
    for attendu in (f"21,10{NBSP}€", f"13,80{NBSP}€", "Reste à charge du patient", "Règle appliquée", "R.871-2",
                    "Décompte du 1er mars 2016"):
        assert attendu in html
    assert "<script" not in html
    g = Garantie(dptam=100, hors_dptam=100, nom="<b>Formule & Cie</b>")
    html = tableaux.decompte_html(decompte(honoraires="23", date=JOUR_2016, medecin=Medecin(secteur=1), garantie=g))
    assert "&lt;b&gt;Formule &amp; Cie&lt;/b&gt;" in html


def test_texte_du_decompte():
    texte = tableaux.decompte_texte(hypothese_2())
    assert texte.splitlines()[0] == "Décompte du 1er mars 2016"
    assert texte.splitlines()[2] == (f"Sécurité sociale (AMO) : 15,10{NBSP}€ · Complémentaire (AMC) : 13,80{NBSP}€ · "
                                    f"Reste à charge : 21,10{NBSP}€")     # la réponse d'abord, les étapes ensuite
    assert texte.splitlines()[-2].startswith("Reste à charge du patient")
    assert re.search(rf"^Plafond du contrat responsable\.+ +29,90{NBSP}€$", texte, re.M)  # source 002 : « 130 % de 23 € = 29,90 € »
    a = tableaux.afficher(hypothese_2())
    assert repr(a) == texte and a._repr_html_().startswith('<div class="reimb-decompte"')


def test_rapport_de_conformite():
    r = reimb.verifier_responsable(Garantie(dptam=200, hors_dptam=200), date(2017, 1, 1))
    a = tableaux.afficher(r)
    assert "NON responsable" in repr(a) and "✘ non conforme" in repr(a)
    assert 'data-conforme="false"' in a._repr_html_()


def test_comparaison_chiffres_et_texte():
    scenarios = {"CAS": decompte(honoraires="50", date=JOUR_2016, medecin=CAS_SPE, patient=ADULTE, garantie=Garantie(125, 125)),
                 "Non CAS": hypothese_2()}
    t = tableaux.comparaison(scenarios)
    df = t.donnees
    assert list(df.index) == ["CAS", "Non CAS"]
    assert df.loc["CAS", "Complémentaire (AMC)"] == D("15.40")      # source 002, CAS 125 %
    assert df.loc["Non CAS", "Reste à charge"] == D("21.10")       # source 002, hypothèse 2
    assert f"15,40{NBSP}€" in repr(t) and f"21,10{NBSP}€" in t._repr_html_()
    assert "..." not in repr(t)                                     # jamais tronqué


def test_serie_de_parametres():
    t = tableaux.serie("participation_forfaitaire.montant")
    assert [v.valeur for v in t.donnees][:2] == [D("1.00"), D("2.00")]
    assert "15/05/2024" in repr(t) and f"2,00{NBSP}€" in repr(t)


# --- Graphiques ---------------------------------------------------------------------------------

def test_barres_parts_hauteurs_egales_au_moteur():
    scenarios = {"CAS 125 %": decompte(honoraires="50", date=JOUR_2016, medecin=CAS_SPE, patient=ADULTE, garantie=Garantie(125, 125)),
                 "Hypothèse 2": hypothese_2()}
    fig = graphiques.barres_parts(scenarios)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Sécurité sociale (AMO)", "Complémentaire (AMC)", "Reste à charge"]
    for conteneur, cle in zip(ax.containers, ("amo", "amc", "reste_a_charge")):
        hauteurs = [r.get_height() for r in conteneur]
        assert hauteurs == pytest.approx([float(getattr(d, cle)) for d in scenarios.values()], abs=1e-9)
    assert fig.reimb_donnees["Hypothèse 2"] == {"amo": D("15.10"), "amc": D("13.80"), "reste_a_charge": D("21.10")}
    # Okabe-Ito, dans l'ordre AMO, AMC, reste à charge
    assert [c.patches[0].get_facecolor()[:3] for c in ax.containers] == [
        tuple(int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)) for h in ("#0072B2", "#009E73", "#D55E00")]
    assert graphiques.en_png(fig).startswith(b"\x89PNG")


def test_reste_a_charge_selon_honoraires_points_du_moteur():
    fig = graphiques.reste_a_charge_selon_honoraires(JOUR_2016, niveaux=(100, 150), honoraires=range(20, 61, 10))
    courbes = fig.reimb_donnees
    assert [(c.niveau, c.adherent) for c in courbes] == [(D(100), True), (D(100), False), (D(150), True), (D(150), False)]
    for ligne, c in zip(fig.axes[0].lines, courbes):
        assert list(ligne.get_ydata()) == [float(y) for y in c.reste_a_charge]
        assert ligne.get_linestyle() == ("-" if c.adherent else "--")
        med = CAS_SPE if c.adherent else NON_CAS_SPE
        for x, y in zip(c.honoraires, c.reste_a_charge):
            assert decompte(honoraires=x, date=JOUR_2016, medecin=med, patient=ADULTE,
                            garantie=Garantie(c.niveau, c.niveau)).reste_a_charge == y
    non_cas_150 = courbes[3]
    assert non_cas_150.reste_a_charge[non_cas_150.honoraires.index(D(50))] == D("21.10")  # source 002, hypothèse 2
    assert courbes[0].honoraires[0] == D(30)   # 20 € < BRSS 28 € : pas tracé pour le médecin CAS


def test_reste_a_charge_dptam_selon_la_date():
    fig = graphiques.reste_a_charge_selon_honoraires(date(2018, 1, 1), niveaux=(200,), honoraires=(60,))
    assert "OPTAM" in fig.reimb_donnees[0].libelle
    # Juin 2013 : pas encore de CAS (1er décembre 2013) ; les courbes du non-adhérent sont tracées, celles
    # de l'adhérent sont vides et disent pourquoi (sur la figure aussi).
    fig = graphiques.reste_a_charge_selon_honoraires(date(2013, 6, 1), niveaux=(100,))
    adherent, non_adherent = fig.reimb_donnees
    assert adherent.honoraires == () and "aucun dispositif" in adherent.absence
    assert non_adherent.absence is None and non_adherent.honoraires[0] == D(23)   # base CS du non-adhérent
    assert "Pas de courbe pour le médecin adhérent" in fig.axes[0].texts[0].get_text()


def test_reste_a_charge_date_hors_table_dit_pourquoi():
    """Revue de fiabilité M8 : une date hors de la table des paramètres ne trace plus une figure vide en silence."""
    g = graphiques.GraphiqueResteACharge()
    for jour in (date(2030, 1, 1), date(2004, 6, 1)):
        with pytest.raises(reimb.ErreurSaisie, match="hors de la période couverte par la table des paramètres"):
            g.tracer(jour, (100, 150))
        texte = g.ax.texts[0]
        assert texte.get_visible() and "hors de la période couverte" in texte.get_text()
        assert all(not ligne.get_xydata().size for ligne in g.ax.lines) and g.figure.reimb_donnees == []
        assert fmt.date_courte(jour) in g.titre.get_text()
    g.tracer(JOUR_2016, (100,))                       # une date valide efface le message
    assert not g.ax.texts[0].get_visible() and len(g.figure.reimb_donnees[1].honoraires) == 98


def test_reste_a_charge_base_non_etablie_dit_quelles_courbes_manquent():
    # Psychiatre non adhérent en 2020 : la table ne donne pas sa base (à partir du 01/04/2022 seulement).
    courbes = graphiques.courbes_reste_a_charge(date(2020, 1, 1), (100,), specialite="psychiatre")
    assert len(courbes[0].honoraires) > 0 and courbes[0].absence is None
    assert courbes[1].honoraires == () and "01/04/2022" in courbes[1].absence


def test_png_rgba_sans_perte():
    """Le PNG codé à la main : les pixels d'Agg, exactement (relus par Pillow)."""
    import numpy as np
    from PIL import Image

    g = graphiques.GraphiqueResteACharge(honoraires=range(20, 61, 10))
    g.tracer(JOUR_2016, (100, 150))
    png = g.png()
    relu = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    assert png.startswith(b"\x89PNG") and relu.shape == (368, 640, 4)        # 8 × 4,6 po à 80 points par pouce
    assert np.array_equal(relu, np.asarray(g._rendu.canvas.buffer_rgba()))


def test_courbes_gardees_par_niveau_identiques_au_calcul():
    """Le cache par niveau : un niveau ajouté est calculé seul, et toutes les courbes restent celles d'un calcul neuf."""
    g = graphiques.GraphiqueResteACharge(honoraires=range(20, 61, 10), textes_html=True)
    g.tracer(JOUR_2016, (100, 150))
    appels = []
    vrai = graphiques.courbes_reste_a_charge

    def compte(jour, niveaux, *args):
        appels.append(list(niveaux))
        return vrai(jour, niveaux, *args)

    graphiques.courbes_reste_a_charge = compte
    try:
        courbes = g.tracer(JOUR_2016, (150, 200, 100))
        g.vider_cache(sauf_affichees=True)               # l'image affichée (100, 150, 200) reste calculée
        g.tracer(JOUR_2016, (100, 250))
    finally:
        graphiques.courbes_reste_a_charge = vrai
    assert appels == [[D(200)], [D(250)]]
    assert courbes == vrai(JOUR_2016, (150, 200, 100), range(20, 61, 10))
    g.vider_cache()
    assert g.tracer(JOUR_2016, (150, 200, 100)) == courbes


def test_graphique_mis_a_jour_sans_nouvelle_figure():
    g = graphiques.GraphiqueResteACharge(honoraires=range(20, 61, 10))
    fig, ax = g.figure, g.ax
    g.tracer(JOUR_2016, (100, 150))
    premiere = g.png()
    lignes = list(ax.lines)
    courbes = g.tracer(date(2018, 3, 1), (200,), responsable=False)
    assert g.figure is fig and ax.lines[:2] == lignes[:2]            # mêmes artistes, données changées
    assert [ligne.get_visible() for ligne in ax.lines] == [True, True, False, False]
    assert list(ax.lines[1].get_ydata()) == [float(y) for y in courbes[1].reste_a_charge]
    assert "OPTAM" in courbes[0].libelle and "non responsable" in g.titre.get_text()
    assert fig.get_layout_engine() is None or type(fig.get_layout_engine()).__name__ == "PlaceHolderLayoutEngine"
    assert g.png() != premiere and g.png().startswith(b"\x89PNG")


def test_frise_construite_depuis_la_table():
    evenements = graphiques.evenements_reformes()
    dates = {e.date for e in evenements}
    # Chaque date vient de la table des paramètres.
    pf = reimb.parametres.serie("participation_forfaitaire.montant")
    assert {v.debut for v in pf} <= dates                          # 1er janv. 2005, 15 mai 2024
    assert reimb.parametres.periode("dptam.CAS")[0] in dates       # 1er déc. 2013
    assert reimb.parametres.periode("dptam.OPTAM")[0] in dates     # 1er janv. 2017
    assert date(2015, 4, 1) in dates                               # réforme du contrat responsable
    assert all(date(2004, 1, 1) <= d <= date(2026, 12, 31) for d in dates)
    assert date(2026, 1, 1) in dates                               # hausses des spécialistes (fiche §12)
    assert evenements == sorted(evenements, key=lambda e: e.date)
    fig = graphiques.frise_reformes()
    assert fig.reimb_donnees == evenements
    ax = fig.axes[0]
    assert len(ax.texts) == len(dates)                             # une boîte par date
    assert any("2,00" in t.get_text() and "15/05/2024" in t.get_text() for t in ax.texts)


def test_import_reimb_reste_leger():
    code = ("import sys, reimb; d = reimb.decompte(honoraires='23', date=__import__('datetime').date(2016, 3, 1), "
            "medecin=reimb.Medecin(secteur=1)); "
            "lourds = [m for m in ('reimb.presentation', 'matplotlib', 'ipywidgets', 'pandas') if m in sys.modules]; "
            "print(lourds)")
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert sortie == "[]"


def test_presentation_n_importe_pas_matplotlib_pour_un_tableau():
    code = ("import sys; from reimb.presentation import tableaux; "
            "print([m for m in ('matplotlib', 'ipywidgets') if m in sys.modules])")
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert sortie == "[]"


# --- Les autres tableaux du cours ---------------------------------------------------------------

def test_bases_par_secteur_source_000():
    t = tableaux.bases(JOUR_2016, "specialiste")
    assert t.donnees["Secteur 2 adhérent CAS / OPTAM"].valeur == D("28.00")   # source 000 : 28 €
    assert t.donnees["Secteur 2 non adhérent"].valeur == D("23.00")           # source 000 : au lieu de 23 €
    assert t.donnees["Non conventionné (« secteur 3 »)"].valeur == D("1.22")  # tarif d'autorité, spécialiste
    assert "CS 23 € + MPC 2 € + MCS 3 €" in repr(t) and f"28,00{NBSP}€" in t._repr_html_()


def test_plafonds_double_limite():
    t = tableaux.plafonds(niveaux_dptam=(150, 200, "frais réels"), dates=(date(2015, 3, 31), JOUR_2016, date(2017, 1, 1)))
    assert t.donnees[(150, JOUR_2016)].niveau == D(130)             # source 002, hypothèse 2
    assert t.donnees[("frais réels", JOUR_2016)].niveau == D(225)   # source 002 : 225 % en 2015-2016
    assert t.donnees[("frais réels", date(2017, 1, 1))].niveau == D(200)
    assert t.donnees[(200, date(2015, 3, 31))].niveau is None       # avant la réforme
    assert "130\u00a0% (limite n° 2)" in repr(t) and "pas de plafond" in repr(t)


def test_comparaison_colonnes_choisies():
    d = decompte(honoraires="40", date=JOUR_2016, medecin=NON_CAS_SPE, patient=ADULTE)
    t = tableaux.comparaison({"Non adhérent": d}, colonnes=("brss", "taux", "amo_brut", "participation_forfaitaire", "amo"))
    assert list(t.donnees.columns) == ["BRSS", "Taux Sécu (%)", "Sécu avant participation forfaitaire", "Participation forfaitaire",
                                       "Sécurité sociale (AMO)"]
    assert t.donnees.iloc[0].tolist() == [D("23.00"), D(70), D("16.10"), D("1.00"), D("15.10")]   # source 000 corrigée
    assert f"16,10{NBSP}€" in repr(t) and " 70 " in repr(t)


def test_reformes_et_dispositifs_en_tableau():
    t = tableaux.reformes()
    assert t.donnees == graphiques.evenements_reformes()
    assert "15/05/2024" in repr(t) and "Participation forfaitaire de 2,00" in repr(t)
    d = tableaux.dispositifs()
    assert [l["Dispositif"] for l in d.donnees] == ["CAS", "OPTAM", "OPTAM-CO", "OPTAM-ACO"]
    assert "01/12/2013" in repr(d) and "31/12/2016" in repr(d)


def test_engagements_et_indicateurs():
    from reimb.optam import indicateurs

    fmf = tableaux.afficher(indicateurs([(35, 23, JOUR_2016)], specialite="specialiste"))   # l'exemple de la FMF
    assert f"52,17{NBSP}%" in repr(fmf) and f"25{NBSP}%" in repr(fmf)
    activite = [(30, 30, date(2018, 3, 1))] * 6 + [(50, 30, date(2018, 3, 1))] * 4
    e = reimb.evaluer_engagements(activite, "OPTAM", taux_reference=40, part_reference=50, specialite="specialiste")
    a = tableaux.afficher(e)
    assert repr(a).startswith("OPTAM 2018 : engagements respectés.")
    assert 'data-taux-depassement="26.67"' in a._repr_html_() and 'data-respecte="true"' in a._repr_html_()


def test_tableau_de_garanties_et_rapport():
    t = reimb.charger_garanties(reimb.garanties.exemple())
    a = tableaux.afficher(t)
    assert "spécialiste, médecins non adhérents" in repr(a) and f"420,00{NBSP}€" in repr(a)
    r = tableaux.afficher(reimb.verifier_responsable(t, date(2025, 3, 3)))
    assert "pour « Contrat Confort (exemple) » : responsable" in repr(r)
    assert "non jugé" in repr(r)                              # ce que la bibliothèque ne peut pas juger est dit


def test_afficher_refuse_un_objet_inconnu():
    with pytest.raises(TypeError, match="afficher"):
        tableaux.afficher(object())
