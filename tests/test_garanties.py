"""Tableaux de garanties : lecture des fichiers CSV et TOML, erreurs nommant ligne et colonne.

Les fichiers d'erreur sont écrits dans le test, ligne par ligne : la ligne et la colonne attendues se
comptent à l'œil (colonnes à partir de 1).
"""

import subprocess
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from reimb import ErreurSaisie, Garantie, Patient, decompte, verifier_responsable
from reimb.garanties import (
    POSTES, ErreurFichier, Niveau, TableauGaranties, charger_garanties, exemple, lire_csv, lire_toml,
)
from reimb.modele import Medecin


# --- Les exemples livrés ------------------------------------------------------------------------------

def test_exemples_livres_toml_et_csv_identiques():
    t, c = charger_garanties(exemple("toml")), charger_garanties(exemple("csv"))
    assert replace(t, source=None) == replace(c, source=None)
    assert t.nom == "Contrat Confort (exemple)" and t.responsable is True
    assert t.consultation("specialiste").dptam == Niveau(pourcentage=D(200))
    assert t.consultation("generaliste").hors_dptam == Niveau(pourcentage=D(130))
    assert t.forfait_journalier.frais_reels and t.forfait_journalier_duree_max_jours is None
    assert (t.optique.monture, t.optique.equipement("simple"), t.optique.equipement("tres_complexe")) == (D("100.00"), D("420.00"), D("800.00"))
    assert t.optique.equipement("simple_complexe") is None and t.optique.renouvellement_ans == 2
    assert (t.panier_100_sante_optique, t.participation_forfaitaire_exclue, t.majoration_hors_parcours_exclue) == (True, True, True)


def test_exemple_est_une_donnee_du_paquet():
    # pyproject : package-data « donnees/*.toml », « donnees/*.csv »
    assert exemple("toml").parent.name == "donnees" and exemple("toml").exists() and exemple("csv").exists()
    with pytest.raises(ErreurSaisie):
        exemple("xlsx")


def test_garantie_pour_le_moteur():
    """Spécialiste secteur 2 non adhérent, 15 janv. 2025, 50 €, ligne « 180 % BR » de l'exemple.

    Base 23 ; Sécu 70 % × 23 = 16,10 − 2 = 14,10 ; garanti 180 % × 23 = 41,40 ⇒ AMC 41,40 − 16,10 = 25,30 ;
    reste 50 − 14,10 − 25,30 = 10,60.
    """
    g = charger_garanties(exemple()).garantie("specialiste")
    assert g == Garantie(dptam=200, hors_dptam=180, responsable=True, nom="Contrat Confort (exemple)")
    d = decompte(honoraires="50", date=date(2025, 1, 15), medecin=Medecin(secteur=2, specialite="specialiste"), patient=Patient(age=45), garantie=g)
    assert (d.amo, d.amc, d.reste_a_charge) == (D("14.10"), D("25.30"), D("10.60"))
    # Un psychiatre relève de la ligne « spécialiste » du tableau.
    assert charger_garanties(exemple()).garantie("psychiatre") == g


def test_forfait_en_euros_passe_a_la_garantie_comme_formule():
    t = lire_toml('[consultation.specialiste]\ndptam = "200 % BR"\nhors_dptam = "100 % BR + 20 €"\n')
    assert t.consultation("specialiste").hors_dptam == Niveau(pourcentage=D(100), forfait=D("20.00"))
    g = t.garantie("specialiste")
    assert g.dptam == D(200)
    assert (g.formule_hors_dptam.pourcentage, g.formule_hors_dptam.forfait, g.formule_hors_dptam.ro_inclus) == (D(100), D(20), True)


@pytest.mark.parametrize("texte, pct, ro_inclus, sur, plafond", [
    ("RO + 100 % BR", 100, False, "BR", None),
    ("100 % BR en plus du RO", 100, False, "BR", None),
    ("100 % TM", 100, False, "TM", None),
    ("150 % BR RO inclus", 150, True, "BR", None),
    ("100 % BR dans la limite de 150 € par an", 100, True, "BR", 150),
])
def test_toutes_les_formulations_dans_un_tableau(texte, pct, ro_inclus, sur, plafond):
    t = lire_toml(f'[consultation.generaliste]\ndptam = "{texte}"\nhors_dptam = "{texte}"\n')
    f = t.garantie("generaliste").formule_dptam
    assert (f.pourcentage, f.ro_inclus, f.sur) == (D(pct), ro_inclus, sur)
    assert f.plafond_annuel == (None if plafond is None else D(plafond))


def test_le_controle_responsable_convertit_une_forme_en_plus_du_ro():
    # « RO + 100 % BR » = 70 + 100 = 170 % BR Sécu comprise (taux AMO 70 %) ; « RO + 100 % BR » chez les
    # non-adhérents aussi = 170 % > 170 − 20 = 150 % (R.871-2, limite n° 2) : non conforme.
    t = lire_toml('[consultation.specialiste]\ndptam = "RO + 100 % BR"\nhors_dptam = "RO + 100 % BR"\n')
    c = verifier_responsable(t, date(2025, 3, 1)).controle("Double limite")
    assert not c.conforme and "150" in c.explication
    with pytest.raises(ErreurSaisie):
        TableauGaranties().garantie("generaliste")   # pas de ligne de consultation


@pytest.mark.parametrize("texte, attendu", [
    ("200 % BR", Niveau(pourcentage=D(200))),
    ("200", Niveau(pourcentage=D(200))),
    (200, Niveau(pourcentage=D(200))),
    (D("125.5"), Niveau(pourcentage=D("125.5"))),
    ("100% BRSS", Niveau(pourcentage=D(100))),
    ("150 % de la BR", Niveau(pourcentage=D(150))),
    ("100 % BR + 20 €", Niveau(pourcentage=D(100), forfait=D("20.00"))),
    ("100 % BR + 20,50 €", Niveau(pourcentage=D(100), forfait=D("20.50"))),
    ("30 €", Niveau(forfait=D("30.00"))),
    ("Frais réels", Niveau(frais_reels=True)),
    ("FR", Niveau(frais_reels=True)),
    ("non", Niveau(pourcentage=D(0))),
])
def test_niveaux_lus(texte, attendu):
    assert Niveau.lire(texte) == attendu


@pytest.mark.parametrize("texte", ["1OO %", "200 % BT", "+ 20 €", "", "beaucoup", True, -5, None, ["200"]])
def test_niveaux_refuses(texte):
    with pytest.raises(ErreurSaisie):
        Niveau.lire(texte)


def test_equivalent_en_pourcentage():
    # 100 % + 20 € sur une BRSS de 23 € : 100 + 2000 / 23 = 186,956… % de la BRSS, au centième de point : 186,96 %.
    eq = Niveau.lire("100 % BR + 20 €").equivalent(D(23))
    assert eq == D("186.96")
    assert Niveau.lire("frais réels").equivalent(D(23)) == "frais réels"
    # « 20 € » seul se lit comme le décompte le paie : la Sécurité sociale (70 %) plus 20 € par acte, soit sur 23 € :
    # 70 + 2000 / 23 = 70 + 86,956… → 156,96 % (la règle du noyau, au centième de point).
    assert Niveau.lire("20 €").equivalent(D(23), D(70)) == D("156.96")
    # Un forfait se convertit toujours au centième de point au moins, même à une échelle demandée plus grossière.
    assert Niveau.lire("20 €").equivalent(D(23), D(70), k=0) == D("156.96")


# --- CSV : erreurs avec ligne et colonne ------------------------------------------------------------------

ENTETE = "poste;valeur;commentaire\n"


def erreur_csv(texte):
    with pytest.raises(ErreurFichier) as e:
        lire_csv(texte, "test.csv")
    return e.value


def test_csv_valeur_invalide_ligne_et_colonne():
    e = erreur_csv(
        "# commentaire\n"                                  # ligne 1
        + ENTETE                                            # ligne 2
        + "consultation.generaliste.dptam;100 % BR;\n"      # ligne 3
        + "consultation.generaliste.hors_dptam;100 % BT;\n"  # ligne 4 : « BT »
    )
    assert (e.fichier, e.ligne, e.colonne) == ("test.csv", 4, 2)
    assert e.champ == "test.csv, ligne 4, colonne 2"
    assert "« 100 % BT » n'est pas un niveau reconnu" in str(e) and "200 % BR" in e.acceptes
    assert isinstance(e, ErreurSaisie) and isinstance(e, ValueError)


def test_csv_poste_inconnu_propose_le_bon():
    e = erreur_csv(ENTETE + "nom;Contrat;\n" + "optique.montrue;100;\n")
    assert (e.ligne, e.colonne) == (3, 1)
    assert "poste inconnu « optique.montrue »" in str(e) and "optique.monture" in e.acceptes


@pytest.mark.parametrize("texte, ligne, colonne, fragment", [
    (ENTETE + "optique.monture\n", 2, 2, "la valeur manque"),
    (ENTETE + "consultation.specialiste.dptam;100 % BR + 20;50 €;note\n", 2, 4, "4 colonnes pour 3"),
    ("poste;montant\noptique.monture;100\n", 1, 2, "colonne inconnue « montant »"),
    ("poste\noptique.monture\n", 1, None, "pas de colonne « valeur »"),
    (ENTETE + "optique.monture;100;\noptique.monture;120;\n", 3, 1, "déjà donné ligne 2"),
    (ENTETE + "regles.participation_forfaitaire_exclue;peut-être;\n", 2, 2, "ni oui ni non"),
    (ENTETE + "optique.monture;cent euros;\n", 2, 2, "n'est pas un montant valide"),
    (ENTETE + "optique.renouvellement_ans;1,5;\n", 2, 2, "n'est pas un nombre entier"),
    (ENTETE + "\n\nconsultation.specialiste.dptam;200;\n", 4, 1, "sans consultation.specialiste.hors_dptam"),
    (ENTETE + ";100;\n", 2, 1, "le nom du poste est vide"),
    ("# rien\n\n", None, None, "le fichier est vide"),
])
def test_csv_mal_forme(texte, ligne, colonne, fragment):
    e = erreur_csv(texte)
    assert (e.ligne, e.colonne) == (ligne, colonne)
    assert fragment in str(e)


def test_csv_separateur_virgule_et_guillemets():
    t = lire_csv('poste,valeur\nconsultation.specialiste.dptam,"100 % BR + 20,50 €"\nconsultation.specialiste.hors_dptam,100\n')
    assert t.consultation("specialiste").dptam.forfait == D("20.50")


def test_csv_cellule_sur_plusieurs_lignes_refusee_a_la_ligne_du_guillemet():
    # Une cellule ne tient que sur une ligne : un guillemet ouvert sur la ligne 2 n'avale pas la suite.
    e = erreur_csv(ENTETE + 'nom;"Contrat\nsur deux lignes";\n' + "optique.monture;beaucoup;\n")
    assert (e.ligne, e.colonne) == (2, 2) and "guillemet ouvert et jamais fermé" in str(e)


def test_rien_n_est_execute(tmp_path):
    temoin = tmp_path / "execute"
    charge = f"__import__('os').system('touch {temoin}')"
    e = erreur_csv(ENTETE + f"consultation.generaliste.dptam;{charge};\n")
    assert e.ligne == 2 and not temoin.exists()
    with pytest.raises(ErreurFichier):
        lire_toml(f'nom = "x"\n[optique]\nmonture = "{charge}"\n')
    assert not temoin.exists()


# --- TOML : erreurs avec ligne et colonne ----------------------------------------------------------------

def erreur_toml(texte):
    with pytest.raises(ErreurFichier) as e:
        lire_toml(texte, "test.toml")
    return e.value


def test_toml_syntaxe():
    e = erreur_toml('nom = "Contrat"\n[consultation.generaliste]\ndptam = "100 % BR\nhors_dptam = 100\n')
    assert e.ligne == 3 and e.colonne is not None
    assert "n'est pas un TOML valide" in str(e)


def test_toml_valeur_invalide_nomme_la_colonne_de_la_valeur():
    e = erreur_toml(
        'nom = "Contrat"\n'                 # 1
        "\n"                                 # 2
        "[consultation.specialiste]\n"       # 3
        'dptam = "200 % BR"\n'               # 4
        'hors_dptam   = "deux cents"\n'      # 5 : la valeur commence colonne 16
    )
    assert (e.ligne, e.colonne) == (5, 16)
    assert "consultation.specialiste.hors_dptam" in str(e)


def test_toml_section_mal_orthographiee():
    e = erreur_toml('[optiqe]\nmonture = 100\n')
    assert (e.ligne, e.colonne) == (2, 1) and "optique.monture" in e.acceptes


@pytest.mark.parametrize("texte, ligne, fragment", [
    ('[optique]\nmonture = [100, 150]\n', 2, "une liste n'est pas acceptée"),
    ('responsable = "peut-être"\n', 1, "ni oui ni non"),
    ('[regles]\nticket_moderateur_couvert = 1\n', 2, "ni oui ni non"),
    ('[hospitalisation]\nforfait_journalier_duree_max_jours = -3\n', 2, "n'est pas un nombre entier positif"),
    ('consultation = { generaliste = { dptam = "cent" } }\n', 1, "consultation.generaliste.dptam"),
])
def test_toml_mal_forme(texte, ligne, fragment):
    e = erreur_toml(texte)
    assert e.ligne == ligne and fragment in str(e)


def test_toml_nombres_et_booleens_natifs():
    t = lire_toml('[consultation.generaliste]\ndptam = 150\nhors_dptam = 130.5\n[optique]\nmonture = 99.90\n[regles]\nfranchises_exclues = true\n')
    assert t.consultation("generaliste").hors_dptam.pourcentage == D("130.5")
    assert t.optique.monture == D("99.90") and t.franchises_exclues is True
    assert t.ticket_moderateur_couvert is None   # absent : la règle ne sera pas contrôlée


# --- Fichiers --------------------------------------------------------------------------------------------

def test_charger_fichiers(tmp_path):
    (tmp_path / "g.ods").write_text("x")
    with pytest.raises(ErreurSaisie) as e:
        charger_garanties(tmp_path / "g.ods")
    assert e.value.champ == "chemin" and ".toml, .csv ou .xlsx" in e.value.acceptes
    with pytest.raises(ErreurSaisie) as e:
        charger_garanties(tmp_path / "absent.toml")
    assert e.value.champ == "chemin"
    latin1 = tmp_path / "latin1.csv"   # Latin-1 et Windows-1252 s'accordent sur « é » (0xE9) : lu comme Excel l'écrit
    latin1.write_bytes("poste;valeur\nnom;Contrat générique\n".encode("latin-1"))
    assert charger_garanties(latin1).nom == "Contrat générique"
    illisible = tmp_path / "illisible.csv"   # 0x81 : ni UTF-8, ni un caractère de Windows-1252
    illisible.write_bytes(b"poste;valeur\nnom;Contrat g\x81n\n")
    with pytest.raises(ErreurFichier) as e:
        charger_garanties(illisible)
    assert (e.value.ligne, e.value.colonne) == (2, 14) and "Windows-1252" in str(e.value)   # « nom;Contrat g » : 13 octets
    toml_latin1 = tmp_path / "latin1.toml"   # un TOML est toujours en UTF-8
    toml_latin1.write_bytes('nom = "générique"\n'.encode("latin-1"))
    with pytest.raises(ErreurFichier) as e:
        charger_garanties(toml_latin1)
    assert (e.value.ligne, e.value.colonne) == (1, 9) and "UTF-8" in str(e.value)


def test_postes_documentes():
    assert all(isinstance(desc, str) and desc for _, desc in POSTES.values())
    assert "optique.equipement.simple_complexe" in POSTES and "regles.participation_forfaitaire_exclue" in POSTES


def test_import_reimb_reste_leger():
    code = "import sys, reimb, reimb.garanties, reimb.responsable; print(any(m in sys.modules for m in ('pandas', 'numpy', 'matplotlib', 'ipywidgets')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


# --- XLSX : même disposition que le CSV, erreurs avec feuille, ligne et colonne -------------------------------

def _classeur(lignes, titre="Garanties", formats=None):
    """Un classeur .xlsx écrit par openpyxl (comme un tableur), en bytes."""
    import io as _io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = titre
    for ligne in lignes:
        ws.append(list(ligne))
    for (r, c), fmt in (formats or {}).items():
        ws.cell(row=r, column=c).number_format = fmt
    tampon = _io.BytesIO()
    wb.save(tampon)
    return tampon.getvalue()


def _lignes_csv(chemin):
    import csv as _csv

    return [l for l in _csv.reader(chemin.read_text(encoding="utf-8").splitlines(), delimiter=";")]


def test_xlsx_aller_retour_comme_le_csv(tmp_path):
    from reimb.garanties import lire_xlsx

    attendu = charger_garanties(exemple("csv"))
    lignes = _lignes_csv(exemple("csv"))
    chemin = tmp_path / "exemple.xlsx"
    chemin.write_bytes(_classeur(lignes))
    lu = charger_garanties(chemin)
    assert replace(lu, source=None) == replace(attendu, source=None)
    assert lu.source == "exemple.xlsx"
    assert lire_xlsx(_classeur(lignes), "x.xlsx").consultation("specialiste") == attendu.consultation("specialiste")


def test_xlsx_nombres_booleens_et_format_pourcentage():
    from reimb.garanties import lire_xlsx

    # 1,5 au format « 0 % » d'Excel s'affiche « 150 % » : lu 150 % de la BR ; 130 en nombre : 130 % de la BR.
    t = lire_xlsx(_classeur([("poste", "valeur"), ("consultation.generaliste.dptam", 1.5),
                             ("consultation.generaliste.hors_dptam", 130), ("responsable", True),
                             ("consultation.specialiste.dptam", "RO + 100 % BR"),
                             ("consultation.specialiste.hors_dptam", "100 % TM")],
                            formats={(2, 2): "0%"}))
    assert t.consultation("generaliste").dptam == Niveau(pourcentage=D(150))
    assert t.consultation("generaliste").hors_dptam == Niveau(pourcentage=D(130))
    assert t.responsable is True
    assert t.garantie("specialiste").formule_dptam.ro_inclus is False


def test_xlsx_erreur_nomme_feuille_ligne_et_colonne():
    from reimb.garanties import lire_xlsx

    with pytest.raises(ErreurFichier) as e:
        lire_xlsx(_classeur([("# un commentaire",), ("poste", "valeur", "commentaire"),
                             ("consultation.generaliste.dptam", "100 % BR"),
                             ("consultation.generaliste.hors_dptam", "100 % BT", "note")], titre="Niveau 2"), "client.xlsx")
    assert (e.value.fichier, e.value.feuille, e.value.ligne, e.value.colonne) == ("client.xlsx", "Niveau 2", 4, 2)
    assert str(e.value).startswith("client.xlsx, feuille « Niveau 2 », ligne 4, colonne 2 : ")
    assert "100 % BT" in str(e.value) and "RO + 100 % BR" in e.value.acceptes
    with pytest.raises(ErreurFichier) as e:
        lire_xlsx(_classeur([("poste", "valeur"), ("optique.montrue", 100)]), "c.xlsx")
    assert (e.value.ligne, e.value.colonne) == (2, 1) and "optique.monture" in e.value.acceptes
    with pytest.raises(ErreurFichier) as e:
        lire_xlsx(_classeur([("poste", "valeur"), ("optique.monture", None)]), "c.xlsx")
    assert (e.value.ligne, e.value.colonne) == (2, 2) and "manque" in str(e.value)
    with pytest.raises(ErreurFichier) as e:
        lire_xlsx(_classeur([("poste", "montant")]), "c.xlsx")
    assert (e.value.ligne, e.value.colonne) == (1, 2) and "colonne inconnue" in str(e.value)
    with pytest.raises(ErreurFichier) as e:
        lire_xlsx(_classeur([("poste", "valeur")]), "c.xlsx", feuille="Autre")
    assert "« Garanties »" in e.value.acceptes


def test_xlsx_illisible(tmp_path):
    chemin = tmp_path / "faux.xlsx"
    chemin.write_text("poste;valeur\n", encoding="utf-8")
    with pytest.raises(ErreurFichier) as e:
        charger_garanties(chemin)
    assert "classeur Excel" in str(e.value) and e.value.fichier == "faux.xlsx"


# --- CSV d'Excel et garde-fous (revue de fiabilité : M6, M7, L1, L2, L14) -----------------------------------

def test_csv_excel_sep_et_cellules_vides_de_fin():
    t = lire_csv("sep=;\r\nposte;valeur;;\r\nnom;Contrat;;\r\noptique.monture;99,90 €;;\r\n")
    assert t.nom == "Contrat" and t.optique.monture == D("99.90")


def test_csv_separateur_tabulation():
    assert lire_csv("poste\tvaleur\nnom\tContrat\n").nom == "Contrat"


@pytest.mark.parametrize("texte, ligne, colonne, fragment", [
    ("poste;;valeur\nnom;;X\n", 1, 2, "colonne sans nom"),
    ("poste;valeur;valeur\nnom;X;Y\n", 1, 3, "en double"),
    ('poste;valeur\nnom;"X\n', 2, 2, "guillemet ouvert"),
    ("poste;valeur\noptique.renouvellement_ans;²\n", 2, 2, "n'est pas un nombre entier"),
    ("poste;valeur\nconsultation.generaliste.dptam;20000\nconsultation.generaliste.hors_dptam;100\n", 2, 2, "démesuré"),
])
def test_csv_refus_localises(texte, ligne, colonne, fragment):
    e = erreur_csv(texte)
    assert (e.ligne, e.colonne) == (ligne, colonne) and fragment in str(e)


def test_toml_erreurs_en_francais():
    e = erreur_toml("a = 1\na = 2\n")
    assert "une clé est donnée deux fois" in str(e) and "Cannot" not in str(e)
    e = erreur_toml("[" + ".".join(["a"] * 20) + "]\nb = 1\n")
    assert "imbrication trop profonde" in str(e)


def test_charger_refuse_ce_qui_n_est_pas_un_chemin(tmp_path):
    for chemin in (None, 3, b"x.csv"):
        with pytest.raises(ErreurSaisie) as e:
            charger_garanties(chemin)
        assert e.value.champ == "chemin"
    gros = tmp_path / "gros.csv"
    gros.write_bytes(b"#" * 1_000_001)
    with pytest.raises(ErreurSaisie, match="mégaoctet"):
        charger_garanties(gros)


def test_conformite_d_un_tableau_avec_forfait_chez_les_adherents():
    # « 100 % BR + 20 € » chez un spécialiste adhérent (BR 31,50 € en 2025) : 100 + 2000 / 31,50 = 163,49… → 163,49 %.
    # Non-adhérents « 100 % BR » ≤ 163,49 − 20 = 143,49 % : conforme.
    t = lire_toml('[consultation.specialiste]\ndptam = "100 % BR + 20 €"\nhors_dptam = "100 % BR"\n')
    r = verifier_responsable(t, date(2025, 3, 1))
    assert r.conforme and "143,49" in r.controle("Double limite").explication
