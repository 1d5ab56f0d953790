"""Les exemples de remboursement en euros d'un contrat, et la comparaison de contrats pour un client.

- :func:`exemples_remboursement` : pour un tableau de garanties et une date, les consultations de la liste
  d'exemples (engagement de lisibilité UNOCAM de 2019 : des exemples en euros, communs à tous les
  contrats) — dépense, base, Sécurité sociale, complémentaire, reste à charge. Les prix typiques et leur
  source sont dans ``donnees/exemples_remboursement.toml`` ;
- :func:`comparer_garanties` : plusieurs contrats sur une année de consultations d'un client (par défaut,
  l'année type de ``donnees/profil_type.toml``, hypothèses écrites dans le fichier), acte par acte et en
  totaux, et la fiche client d'une page en PDF (:meth:`Comparaison.pdf`).

pandas n'est importé qu'à l'appel (``import reimb`` reste léger) ; le PDF utilise fpdf2 et la police
DejaVu Sans livrée avec matplotlib (accents et « € »), sans importer matplotlib.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal
from pathlib import Path

from .erreurs import ErreurSaisie
from .modele import Garantie, Medecin, Patient
from .montants import CENT, ZERO, montant

DONNEES = Path(__file__).parent / "donnees"
COLONNES = ("libelle", "depense", "brss", "amo", "amc", "reste_a_charge")


def _toml(nom: str) -> dict:
    with open(DONNEES / nom, "rb") as f:
        return tomllib.load(f)


@dataclass(frozen=True, slots=True)
class Acte:
    """Une consultation d'exemple ou d'un profil : qui consulte qui, pour quelle dépense, combien de fois."""

    libelle: str
    medecin: Medecin
    patient: Patient
    depense: Decimal
    brss: Decimal | None = None
    nombre: int = 1
    cle: str | None = None
    source: str | None = None


def _acte(d: dict, champ: str) -> Acte:
    try:
        medecin = Medecin(secteur=d["secteur"], dptam=d.get("dptam") or None, specialite=d.get("specialite", "generaliste"))
        patient = Patient(age=d.get("age", 40))
        depense = montant(d.get("depense", d.get("honoraires")), f"{champ}.depense")
        brss = montant(d["brss"], f"{champ}.brss", positif_strict=True) if d.get("brss") not in (None, "") else None
    except KeyError as e:
        raise ErreurSaisie(champ, f"il manque « {e.args[0]} »", "libelle, specialite, secteur, dptam, age, depense, nombre") from None
    nombre = d.get("nombre", 1)
    if isinstance(nombre, bool) or not isinstance(nombre, int) or nombre < 1:
        raise ErreurSaisie(f"{champ}.nombre", f"{nombre!r} n'est pas un nombre de consultations", "un entier ≥ 1")
    return Acte(libelle=d.get("libelle") or medecin.libelle, medecin=medecin, patient=patient, depense=depense, brss=brss,
                nombre=nombre, cle=d.get("cle"), source=d.get("brss_source"))


def exemples() -> tuple[Acte, ...]:
    """Les consultations de la liste d'exemples (``donnees/exemples_remboursement.toml``)."""
    return tuple(_acte(d, f"exemple {d.get('cle')}") for d in _toml("exemples_remboursement.toml")["exemple"])


def source_exemples() -> str:
    return _toml("exemples_remboursement.toml")["source"]


def profil_type() -> tuple[str, tuple[Acte, ...]]:
    """(description, actes) de l'année type d'un adulte (``donnees/profil_type.toml``)."""
    donnees = _toml("profil_type.toml")
    return donnees["description"], _profil(donnees["acte"])


def _profil(lignes) -> tuple[Acte, ...]:
    par_cle = {a.cle: a for a in exemples()}
    actes = []
    for i, d in enumerate(lignes, start=1):
        if isinstance(d, Acte):
            actes.append(d)
            continue
        if not isinstance(d, dict):
            raise ErreurSaisie(f"profil[{i}]", f"{type(d).__name__} n'est pas une consultation",
                               "un dict (exemple=…, nombre=…) ou (libelle, specialite, secteur, dptam, age, depense, nombre)")
        if "exemple" in d:
            if d["exemple"] not in par_cle:
                raise ErreurSaisie(f"profil[{i}].exemple", f"« {d['exemple']} » n'est pas un exemple connu", ", ".join(par_cle))
            base = par_cle[d["exemple"]]
            nombre = d.get("nombre", 1)
            if isinstance(nombre, bool) or not isinstance(nombre, int) or nombre < 1:
                raise ErreurSaisie(f"profil[{i}].nombre", f"{nombre!r} n'est pas un nombre de consultations", "un entier ≥ 1")
            actes.append(Acte(base.libelle, base.medecin, base.patient, base.depense, base.brss, nombre, base.cle, base.source))
        else:
            actes.append(_acte(d, f"profil[{i}]"))
    if not actes:
        raise ErreurSaisie("profil", "le profil est vide", "au moins une consultation")
    return tuple(actes)


def _garantie(tableau, specialite: str) -> Garantie | None:
    from .garanties import TableauGaranties, charger_garanties

    if tableau is None or isinstance(tableau, Garantie):
        return tableau
    if isinstance(tableau, (str, Path)):
        tableau = charger_garanties(tableau)
    if not isinstance(tableau, TableauGaranties):
        raise ErreurSaisie("tableau", f"{type(tableau).__name__} n'est pas un tableau de garanties",
                           "un TableauGaranties (reimb.charger_garanties), une reimb.Garantie, un chemin de fichier, ou None")
    return tableau.garantie(specialite)


def _nom(tableau, i: int) -> str:
    nom = getattr(tableau, "nom", None)
    return nom or f"Contrat {i}"


def _c(d: Decimal) -> int:
    return int(d * 100)


def _e(c: int) -> Decimal:
    return (Decimal(c) / CENT).quantize(Decimal("0.01"))


def _decompter(acte: Acte, garantie: Garantie | None, jour: Date, deja: dict, ligne_tableau: str = "") -> dict:
    """Une consultation décomptée par le moteur (:func:`reimb.decompte`), le plafond annuel de la ligne de
    garantie entamé par ce que ``deja`` a déjà compté pour elle."""
    from .decompte import decompte

    cle = (ligne_tableau, acte.medecin.ligne_dptam)   # le plafond annuel est celui de la ligne du tableau
    d = decompte(honoraires=acte.depense, date=jour, medecin=acte.medecin, patient=acte.patient, brss=acte.brss,
                 garantie=garantie, deja_rembourse_annee=deja.get(cle, ZERO))
    deja[cle] = deja.get(cle, ZERO) + d.amc
    limite = None
    if garantie is not None:
        for e in d.etapes:
            if e.libelle == "Principe indemnitaire":
                limite = "principe_indemnitaire"
            elif e.code == "amc" and e.calcul is not None and e.calcul.operation == "plafonne" and e.montant < e.calcul.operandes[0]:
                limite = "plafond_annuel"
    return {"libelle": acte.libelle, "depense": d.honoraires, "brss": d.brss, "amo": d.amo, "amc": d.amc,
            "reste_a_charge": d.reste_a_charge, "limite": limite, "decompte": d}


def exemples_remboursement(tableau, date: Date):
    """Les exemples de remboursement en euros d'un contrat à une date : une ligne par consultation de la
    liste d'exemples, colonnes ``libelle, depense, brss, amo, amc, reste_a_charge`` (``Decimal``).

    ``tableau`` : un :class:`~reimb.garanties.TableauGaranties` (la ligne « généraliste » ou
    « spécialiste » selon le médecin), une :class:`reimb.Garantie`, un chemin de fichier, ou ``None``
    (sans complémentaire). Chaque consultation est décomptée seule (aucun plafond annuel déjà entamé).
    ``attrs`` : ``date``, ``contrat``, ``source`` (celle des prix typiques).
    """
    import pandas as pd

    lignes = []
    for acte in exemples():
        g = _garantie(tableau, acte.medecin.specialite if acte.medecin.specialite == "generaliste" else "specialiste")
        ligne = _decompter(acte, g, date, {})
        lignes.append({k: ligne[k] for k in COLONNES})
    df = pd.DataFrame(lignes, columns=list(COLONNES))
    df.attrs.update(date=date, contrat=getattr(tableau, "nom", None), source=source_exemples())
    return df


@dataclass(frozen=True)
class Comparaison:
    """Plusieurs contrats sur la même année de consultations.

    ``par_acte`` : une ligne par contrat et par consultation du profil (``contrat, libelle, nombre, depense,
    amo, amc, reste_a_charge`` : totaux des ``nombre`` consultations, plafonds annuels appliqués dans
    l'ordre du profil) ; ``totaux`` : une ligne par contrat (``depense, amo, amc, reste_a_charge``).
    """

    par_acte: object
    totaux: object
    date: Date
    description: str
    contrats: tuple[str, ...] = field(default=())
    lignes: tuple = field(default=())
    """Ce que dit chaque tableau : ``((contrat, ((ligne, adhérents, non-adhérents), …)), …)``."""

    def pdf(self, chemin) -> Path:
        """Écrit la fiche client d'une page (A4, en français) et rend son chemin."""
        from .fiche_pdf import ecrire_fiche

        return ecrire_fiche(self, Path(chemin))


def comparer_garanties(tableaux, profil=None, date: Date | None = None) -> Comparaison:
    """Compare des contrats sur une année de consultations d'un client.

    ``tableaux`` : un dict ``{nom: tableau}`` ou une liste de tableaux (nommés par leur ``nom``) — chaque
    tableau comme pour :func:`exemples_remboursement` ; ``profil`` : ``None`` (l'année type d'un adulte,
    ``donnees/profil_type.toml``), une liste de dicts (``exemple=…, nombre=…``, ou ``libelle, specialite,
    secteur, dptam, age, depense, nombre[, brss]``) ou un ``pandas.DataFrame`` de ces colonnes ;
    ``date`` : la date des soins (les tarifs de ce jour-là).
    """
    import pandas as pd

    from .parametres import verifier_date

    if date is None:
        raise ErreurSaisie("date", "la date des soins manque", "une date, par ex. date(2025, 3, 1)")
    verifier_date(date)
    if isinstance(tableaux, dict):
        nommes = list(tableaux.items())
    elif isinstance(tableaux, (list, tuple)):
        nommes = [(_nom(t, i), t) for i, t in enumerate(tableaux, start=1)]
    else:
        raise ErreurSaisie("tableaux", f"{type(tableaux).__name__} n'est pas une liste de contrats",
                           "un dict {nom: tableau} ou une liste de tableaux")
    if not nommes:
        raise ErreurSaisie("tableaux", "aucun contrat à comparer", "au moins un tableau de garanties")
    if len({n for n, _ in nommes}) != len(nommes):
        raise ErreurSaisie("tableaux", "deux contrats portent le même nom", "un dict {nom: tableau} aux noms distincts")
    if profil is None:
        description, actes = profil_type()
    else:
        if hasattr(profil, "to_dict"):
            profil = [{k: v for k, v in d.items() if v is not None and v == v} for d in profil.to_dict("records")]
        description = "Profil du client"
        actes = _profil(profil)

    lignes, totaux = [], []
    for nom, tableau in nommes:
        deja: dict = {}
        t = {"contrat": nom, "depense": ZERO, "amo": ZERO, "amc": ZERO, "reste_a_charge": ZERO}
        for acte in actes:
            ligne_tableau = "generaliste" if acte.medecin.specialite == "generaliste" else "specialiste"
            g = _garantie(tableau, ligne_tableau)
            if isinstance(tableau, Garantie) or tableau is None:
                ligne_tableau = ""   # une seule garantie pour tous les médecins
            cumul = {"contrat": nom, "libelle": acte.libelle, "nombre": acte.nombre,
                     "depense": ZERO, "amo": ZERO, "amc": ZERO, "reste_a_charge": ZERO}
            for _ in range(acte.nombre):
                l = _decompter(acte, g, date, deja, ligne_tableau)
                for k in ("depense", "amo", "amc", "reste_a_charge"):
                    cumul[k] += l[k]
            lignes.append(cumul)
            for k in ("depense", "amo", "amc", "reste_a_charge"):
                t[k] += cumul[k]
        totaux.append(t)
    par_acte = pd.DataFrame(lignes, columns=["contrat", "libelle", "nombre", "depense", "amo", "amc", "reste_a_charge"])
    tot = pd.DataFrame(totaux, columns=["contrat", "depense", "amo", "amc", "reste_a_charge"]).set_index("contrat")
    return Comparaison(par_acte=par_acte, totaux=tot, date=date, description=description,
                       contrats=tuple(n for n, _ in nommes), lignes=tuple((n, _lignes_tableau(t)) for n, t in nommes))


def _lignes_tableau(tableau) -> tuple:
    """(libellé de la ligne, formulation chez les adhérents, chez les non-adhérents) des consultations d'un tableau."""
    from .garanties import SPECIALITES_TABLEAU, TableauGaranties, charger_garanties

    if isinstance(tableau, (str, Path)):
        tableau = charger_garanties(tableau)
    if tableau is None:
        return (("Consultations", "pas de complémentaire", "pas de complémentaire"),)
    if isinstance(tableau, Garantie):
        return (("Consultations", str(tableau.formule_dptam), str(tableau.formule_hors_dptam)),)
    if isinstance(tableau, TableauGaranties):
        return tuple((f"Consultation de {SPECIALITES_TABLEAU[s]}", l.dptam.texte, l.hors_dptam.texte) for s, l in tableau.consultations)
    return ()
