"""Le côté du médecin : les engagements du CAS et de l'OPTAM, calculés sur une activité.

Un médecin de secteur 2 (ou 1 DP) qui adhère à un DPTAM s'engage sur deux indicateurs
(domain-facts §2 ; convention 2016, annexe 21) :

1. le **taux moyen de dépassement recalculé** : le total des dépassements rapporté aux honoraires
   remboursables, les deux comptés comme si chaque acte avait été remboursé sur la base du
   **secteur 1** (annexe 21, art. 2 : « sur la base des tarifs de remboursement des médecins de
   secteur 1 appliqués à l'activité du médecin », citée par la CSMF). Exemple de la FMF : une
   consultation de non-adhérent facturée 35 € compte 12 € de dépassement sur la CS à 23 € (52 %) ;
   recalculée sur la base du secteur 1 de 2016 (28 €), elle ne compte que 7 € (25 %) ;
2. la **part d'activité à tarif opposable** (acte facturé sans dépassement sur la base du secteur 1),
   que le projet calcule **en montant** (honoraires remboursables des actes au tarif opposable /
   honoraires remboursables de toute l'activité) et **en nombre d'actes**. Le texte parle de « part
   d'activité » ; la FMF la paraphrase en nombre d'actes : les deux sont donnés, la comparaison à
   l'objectif se fait en montant sauf demande contraire (``part_mesuree="nombre"``).

Objectifs : pour l'OPTAM, le taux et la part de la période de référence du médecin (2013-2015, puis
2022-2023), le taux étant plafonné à 100 % dans tous les cas ; pour le CAS, le taux et la part d'avant
l'adhésion, taux ≤ 100 %, et une part d'au moins 30 % pour un nouvel installé. Les plafonds, planchers
et années sont des données datées (``parametres/optam.toml``).

Une activité est une liste d'actes : ``dict`` (``honoraires``, ``base``, ``date``, et facultativement
``base_secteur1``, ``libelle``), tuples ``(honoraires, base, date[, base_secteur1])``, ou un tableau
qui sait se convertir en lignes (``DataFrame.to_dict("records")`` — pandas n'est jamais importé ici).
Sans ``base_secteur1``, la base du secteur 1 est lue dans la table des tarifs pour la ``specialite``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from decimal import Decimal

from . import tarifs
from .decompte import Decompte, decompte
from .erreurs import ErreurSaisie
from .modele import DPTAM, SPECIALITES, Medecin
from .montants import CENT, ZERO, arrondi, en_decimal, euros, montant, nombre
from .parametres import parametre, periode, verifier_date

ANNEXE_21 = "Convention médicale 2016, annexe 21 (OPTAM et OPTAM-CO : modalités de calcul des engagements)"
_CLES = {
    "honoraires": ("honoraires",),
    "base": ("base", "brss"),
    "date": ("date",),
    "base_secteur1": ("base_secteur1", "base_opposable"),
    "libelle": ("libelle", "acte"),
}


@dataclass(frozen=True, slots=True)
class Acte:
    """Un acte de l'activité : honoraires facturés, base remboursée, date, base du secteur 1."""

    honoraires: Decimal
    base: Decimal
    date: Date
    base_secteur1: Decimal
    libelle: str = ""

    @property
    def depassement(self) -> Decimal:
        """Le dépassement constaté, sur la base réellement remboursée."""
        return max(ZERO, self.honoraires - self.base)

    @property
    def depassement_recalcule(self) -> Decimal:
        """Le dépassement recalculé sur la base du secteur 1 (annexe 21, art. 2), jamais négatif."""
        return max(ZERO, self.honoraires - self.base_secteur1)

    @property
    def a_tarif_opposable(self) -> bool:
        """Facturé sans dépassement au regard de la base du secteur 1."""
        return self.honoraires <= self.base_secteur1


def _date(valeur, champ: str) -> Date:
    if isinstance(valeur, datetime):
        return valeur.date()
    if isinstance(valeur, Date):
        return valeur
    if isinstance(valeur, str):
        try:
            return Date.fromisoformat(valeur.strip())
        except ValueError:
            pass
    raise ErreurSaisie(champ, f"{valeur!r} n'est pas une date", "un objet datetime.date ou un texte AAAA-MM-JJ, par ex. 2018-03-15")


def _champs(ligne, i: int) -> dict:
    if isinstance(ligne, Acte):
        return {"honoraires": ligne.honoraires, "base": ligne.base, "date": ligne.date, "base_secteur1": ligne.base_secteur1, "libelle": ligne.libelle}
    if isinstance(ligne, Mapping):
        inconnues = set(ligne) - {c for alias in _CLES.values() for c in alias}
        if inconnues:
            raise ErreurSaisie(
                f"activite[{i}]", f"acte n° {i + 1} : colonne(s) inconnue(s) {', '.join(sorted(map(str, inconnues)))}",
                "honoraires, base (ou brss), date, base_secteur1 (facultatif), libelle (facultatif)",
            )
        out = {}
        for cle, alias in _CLES.items():
            for a in alias:
                if a in ligne and ligne[a] is not None:
                    out[cle] = ligne[a]
                    break
        return out
    if isinstance(ligne, (tuple, list)) and 3 <= len(ligne) <= 5:
        return dict(zip(("honoraires", "base", "date", "base_secteur1", "libelle"), ligne))
    raise ErreurSaisie(
        f"activite[{i}]", f"acte n° {i + 1} : {type(ligne).__name__} n'est pas un acte",
        "un dict {honoraires, base, date[, base_secteur1]} ou un tuple (honoraires, base, date[, base_secteur1])",
    )


def lire_activite(activite, specialite: str | None = None, acte: str = "consultation") -> tuple[Acte, ...]:
    """L'activité saisie, vérifiée acte par acte ; la base du secteur 1 complétée depuis la table.

    Une erreur nomme l'acte (``activite[2].honoraires``) et ce qui est accepté.
    """
    if hasattr(activite, "to_dict") and not isinstance(activite, Mapping):
        activite = activite.to_dict("records")  # un DataFrame, sans importer pandas
    if isinstance(activite, (str, bytes, Mapping)) or not hasattr(activite, "__iter__"):
        raise ErreurSaisie("activite", f"{type(activite).__name__} n'est pas une liste d'actes", "une liste de dict ou de tuples, ou un DataFrame")
    if specialite is not None and specialite not in SPECIALITES:
        raise ErreurSaisie("specialite", f"{specialite!r} inconnue", ", ".join(repr(s) for s in SPECIALITES))
    actes = []
    for i, ligne in enumerate(activite):
        c = _champs(ligne, i)
        for requis in ("honoraires", "base", "date"):
            if requis not in c:
                raise ErreurSaisie(f"activite[{i}].{requis}", f"acte n° {i + 1} : {requis} manquant", "honoraires, base et date pour chaque acte")
        jour = _date(c["date"], f"activite[{i}].date")
        verifier_date(jour, f"activite[{i}].date")
        honoraires = montant(c["honoraires"], f"activite[{i}].honoraires")
        base = montant(c["base"], f"activite[{i}].base", positif_strict=True)
        if honoraires < base:
            raise ErreurSaisie(
                f"activite[{i}].honoraires",
                f"acte n° {i + 1} : honoraires ({euros(honoraires)}) inférieurs à la base remboursée ({euros(base)}) — un médecin facture au moins la base",
                f"des honoraires ≥ {euros(base)}",
            )
        if c.get("base_secteur1") is not None:
            base_s1 = montant(c["base_secteur1"], f"activite[{i}].base_secteur1", positif_strict=True)
        elif specialite is not None:
            base_s1 = tarifs.brss(acte, Medecin(secteur=1, specialite=specialite), jour).valeur
        else:
            raise ErreurSaisie(
                f"activite[{i}].base_secteur1",
                f"acte n° {i + 1} : la base du secteur 1 est nécessaire au recalcul (annexe 21, art. 2)",
                "une colonne base_secteur1, ou specialite=… pour la lire dans la table des tarifs",
            )
        libelle = c.get("libelle") or ""
        actes.append(Acte(honoraires, base, jour, base_s1, str(libelle)))
    if not actes:
        raise ErreurSaisie("activite", "l'activité est vide", "au moins un acte")
    return tuple(actes)


def _pourcent(numerateur: Decimal, denominateur: Decimal) -> Decimal:
    return numerateur * CENT / denominateur


@dataclass(frozen=True, slots=True)
class Indicateurs:
    """Les deux indicateurs d'une activité (taux en %, arrondis au centième de point pour l'affichage)."""

    nombre_actes: int
    nombre_actes_opposables: int
    honoraires: Decimal
    honoraires_remboursables: Decimal      # Σ des bases du secteur 1 (annexe 21)
    depassements_recalcules: Decimal       # Σ (honoraires − base du secteur 1)⁺
    base_constatee: Decimal                # Σ des bases réellement remboursées
    depassements_constates: Decimal        # Σ (honoraires − base remboursée)⁺
    taux_depassement: Decimal              # recalculé : depassements_recalcules / honoraires_remboursables
    taux_depassement_constate: Decimal     # sur les bases remboursées (le « 52 % » de la FMF)
    part_opposable_montant: Decimal
    part_opposable_nombre: Decimal
    _exacts: tuple[Decimal, Decimal, Decimal] = field(default=(ZERO, ZERO, ZERO), repr=False, compare=False)  # non arrondis

    def part(self, mesure: str = "montant", exacte: bool = False) -> Decimal:
        if mesure not in ("montant", "nombre"):
            raise ErreurSaisie("part_mesuree", f"{mesure!r} inconnue", "'montant' ou 'nombre'")
        if exacte:
            return self._exacts[1] if mesure == "montant" else self._exacts[2]
        return self.part_opposable_montant if mesure == "montant" else self.part_opposable_nombre


def indicateurs(activite, specialite: str | None = None, acte: str = "consultation") -> Indicateurs:
    """Taux moyen de dépassement (recalculé et constaté) et part à tarif opposable d'une activité.

    >>> from datetime import date
    >>> i = indicateurs([(35, 23, date(2016, 3, 1))], specialite="specialiste")   # l'exemple de la FMF
    >>> i.depassements_constates, i.taux_depassement_constate, i.depassements_recalcules, i.taux_depassement
    (Decimal('12.00'), Decimal('52.17'), Decimal('7.00'), Decimal('25.00'))
    """
    actes = lire_activite(activite, specialite, acte)
    remboursables = sum((a.base_secteur1 for a in actes), ZERO)
    dep_recalc = sum((a.depassement_recalcule for a in actes), ZERO)
    base = sum((a.base for a in actes), ZERO)
    dep = sum((a.depassement for a in actes), ZERO)
    opposables = [a for a in actes if a.a_tarif_opposable]
    taux = _pourcent(dep_recalc, remboursables)
    part_m = _pourcent(sum((a.base_secteur1 for a in opposables), ZERO), remboursables)
    part_n = _pourcent(Decimal(len(opposables)), Decimal(len(actes)))
    return Indicateurs(
        nombre_actes=len(actes), nombre_actes_opposables=len(opposables),
        honoraires=sum((a.honoraires for a in actes), ZERO), honoraires_remboursables=remboursables,
        depassements_recalcules=dep_recalc, base_constatee=base, depassements_constates=dep,
        taux_depassement=arrondi(taux), taux_depassement_constate=arrondi(_pourcent(dep, base)),
        part_opposable_montant=arrondi(part_m), part_opposable_nombre=arrondi(part_n),
        _exacts=(taux, part_m, part_n),
    )


def _dispositif(dispositif: str) -> None:
    if dispositif not in DPTAM:
        raise ErreurSaisie("dispositif", f"{dispositif!r} n'est pas un dispositif connu", "'CAS', 'OPTAM', 'OPTAM-CO' ou 'OPTAM-ACO' (2025 →)")


@dataclass(frozen=True, slots=True)
class Reference:
    """Les objectifs personnels tirés de la période de référence : moyenne des rapports annuels."""

    annees: tuple[int, ...]
    taux_depassement: Decimal
    part_opposable_montant: Decimal
    part_opposable_nombre: Decimal
    par_annee: tuple[tuple[int, Indicateurs], ...]
    reference: str


def reference_optam(activite, date_adhesion: Date, dispositif: str = "OPTAM", specialite: str | None = None,
                    acte: str = "consultation") -> Reference:
    """Les objectifs OPTAM d'un médecin, d'après son activité de la période de référence.

    Annexe 21, art. 1 : le taux de référence est « la moyenne du rapport du total des dépassements
    annuels aux honoraires remboursables annuels calculé pour chacune des 3 années » (2013-2015 ; 2022-2023
    à partir de 2025), recalculé sur les tarifs du secteur 1 (art. 2). La part à tarif opposable est
    moyennée de la même façon. Les années sans activité sont ignorées (la convention applique alors la
    moyenne de la spécialité et de la région, que la bibliothèque ne connaît pas).
    """
    _dispositif(dispositif)
    if dispositif == "CAS":
        raise ErreurSaisie("dispositif", "le CAS n'a pas de période de référence fixe : l'objectif est la situation d'avant l'adhésion", "'OPTAM', 'OPTAM-CO' ou 'OPTAM-ACO'")
    verifier_date(date_adhesion, "date_adhesion")
    debut = parametre(f"optam.{dispositif}.annee_reference_debut", date_adhesion)
    fin = parametre(f"optam.{dispositif}.annee_reference_fin", date_adhesion)
    annees_ref = range(int(debut.valeur), int(fin.valeur) + 1)
    actes = lire_activite(activite, specialite, acte)
    hors = sorted({a.date.year for a in actes if a.date.year not in annees_ref})
    if hors:
        raise ErreurSaisie(
            "activite", f"des actes de {', '.join(map(str, hors))} sont hors de la période de référence",
            f"des actes de {annees_ref[0]} à {annees_ref[-1]} (adhésion le {date_adhesion:%d/%m/%Y})",
        )
    par_annee = tuple((an, indicateurs(tuple(a for a in actes if a.date.year == an))) for an in annees_ref if any(a.date.year == an for a in actes))
    n = Decimal(len(par_annee))
    moyenne = [sum((ind._exacts[k] for _, ind in par_annee), ZERO) / n for k in range(3)]
    return Reference(
        annees=tuple(an for an, _ in par_annee),
        taux_depassement=arrondi(moyenne[0]), part_opposable_montant=arrondi(moyenne[1]), part_opposable_nombre=arrondi(moyenne[2]),
        par_annee=par_annee, reference=f"{ANNEXE_21}, art. 1 et 2 ; {debut.reference}",
    )


@dataclass(frozen=True, slots=True)
class Engagements:
    """Le contrôle des engagements d'un médecin adhérent sur une année d'activité."""

    dispositif: str
    annee: int
    indicateurs: Indicateurs
    objectif_taux: Decimal
    objectif_part: Decimal | None
    part_mesuree: str
    respecte: bool | None          # None : un objectif manque, rien n'est en échec
    verdict: str
    raisons: tuple[str, ...]
    references: tuple[str, ...]

    @property
    def taux_depassement(self) -> Decimal:
        return self.indicateurs.taux_depassement

    @property
    def part_opposable(self) -> Decimal:
        return self.indicateurs.part(self.part_mesuree)


_fr = nombre  # l'arrondi du projet, puis Babel (reimb.montants.nombre)


def evaluer_engagements(activite, dispositif: str, *, taux_reference=None, part_reference=None,
                        nouvel_installe: bool = False, specialite: str | None = None, acte: str = "consultation",
                        part_mesuree: str = "montant") -> Engagements:
    """Les engagements CAS / OPTAM / OPTAM-CO sont-ils tenus sur cette année d'activité ?

    ``taux_reference``, ``part_reference`` : les objectifs personnels du médecin, en % (par exemple
    :func:`reference_optam`) ; sans eux, seul le plafond commun du taux (100 %) est contrôlé, et la
    part à tarif opposable n'est pas jugée (``respecte`` vaut alors ``None`` si rien n'échoue).
    ``nouvel_installe`` (CAS) : la part minimale est le plancher de 30 %.
    Les taux sont comparés sur leur valeur exacte ; ils sont affichés au centième de point.
    """
    _dispositif(dispositif)
    if not isinstance(nouvel_installe, bool):
        raise ErreurSaisie("nouvel_installe", f"{nouvel_installe!r} n'est pas un booléen", "True ou False")
    actes = lire_activite(activite, specialite, acte)
    annees = sorted({a.date.year for a in actes})
    if len(annees) > 1:
        raise ErreurSaisie("activite", f"l'activité couvre plusieurs années ({', '.join(map(str, annees))}) : les engagements s'apprécient par année civile", "les actes d'une seule année")
    debut, fin, description, ref_dispositif = periode(f"dptam.{dispositif}")
    for i, a in enumerate(actes):
        if a.date < debut or (fin is not None and a.date > fin):
            per = f"du {debut:%d/%m/%Y} au {fin:%d/%m/%Y}" if fin else f"à partir du {debut:%d/%m/%Y}"
            raise ErreurSaisie(f"activite[{i}].date", f"le {dispositif} ({description}) n'existe pas le {a.date:%d/%m/%Y}", f"une date {per}")
    jour = max(a.date for a in actes)
    ind = indicateurs(actes)
    taux_exact = ind._exacts[0]
    part_exacte = ind.part(part_mesuree, exacte=True)
    raisons, references = [], [ref_dispositif]
    echec = False
    incomplet = False

    # 1. Taux de dépassement : au plus l'objectif personnel, et jamais au-delà du plafond commun.
    plafond = parametre(f"optam.{dispositif}.plafond_taux_depassement", jour)
    references.append(plafond.reference)
    objectif_taux = plafond.valeur
    origine = "plafond du CAS" if dispositif == "CAS" else f"plafond de l’{dispositif}"
    if taux_reference is not None:
        t = _positif(taux_reference, "taux_reference")
        if t < objectif_taux:
            objectif_taux, origine = t, "taux de référence du médecin"
    else:
        raisons.append(f"Sans taux de référence personnel, seul le plafond de {_fr(plafond.valeur)} % est contrôlé.")
    ok_taux = taux_exact <= objectif_taux
    echec |= not ok_taux
    raisons.append(
        f"Taux moyen de dépassement recalculé sur les tarifs du secteur 1 : {_fr(ind.taux_depassement)} % "
        f"{'≤' if ok_taux else '>'} {_fr(objectif_taux)} % ({origine}) — {'tenu' if ok_taux else 'NON tenu'}."
    )

    # 2. Part d'activité à tarif opposable : au moins l'objectif personnel (ou le plancher CAS des installés).
    objectif_part = None
    if part_reference is not None:
        objectif_part = _positif(part_reference, "part_reference")
        if objectif_part > 100:
            raise ErreurSaisie("part_reference", f"une part d'activité de {_fr(objectif_part)} % dépasse 100 %",
                               "un pourcentage de 0 à 100, par ex. 35")
        origine_part = "part de référence du médecin"
    if dispositif == "CAS" and nouvel_installe:
        plancher = parametre("optam.CAS.plancher_part_opposable_installation", jour)
        references.append(plancher.reference)
        if objectif_part is None or plancher.valeur > objectif_part:
            objectif_part, origine_part = plancher.valeur, "plancher du CAS pour un nouvel installé"
    affichee = ind.part(part_mesuree)
    mesure = "en montant" if part_mesuree == "montant" else "en nombre d'actes"
    if objectif_part is None:
        incomplet = True
        raisons.append(f"Part d'activité à tarif opposable ({mesure}) : {_fr(affichee)} % — objectif personnel non fourni, non jugée.")
    else:
        ok_part = part_exacte >= objectif_part
        echec |= not ok_part
        raisons.append(
            f"Part d'activité à tarif opposable ({mesure}) : {_fr(affichee)} % "
            f"{'≥' if ok_part else '<'} {_fr(objectif_part)} % ({origine_part}) — {'tenue' if ok_part else 'NON tenue'}."
        )
    references.append(f"{ANNEXE_21}, art. 1 et 2")

    respecte = False if echec else (None if incomplet else True)
    verdict = {
        True: f"{dispositif} {annees[0]} : engagements respectés.",
        False: f"{dispositif} {annees[0]} : engagements NON respectés.",
        None: f"{dispositif} {annees[0]} : aucun engagement en échec, mais un objectif manque pour conclure.",
    }[respecte]
    return Engagements(dispositif, annees[0], ind, objectif_taux, objectif_part, part_mesuree, respecte, verdict, tuple(raisons), tuple(references))


def _positif(valeur, champ: str) -> Decimal:
    d = en_decimal(valeur, champ)
    if d < 0:
        raise ErreurSaisie(champ, f"{d} % est négatif", "un pourcentage ≥ 0, par ex. 35")
    return d


# --- Ce que l'adhésion change pour le patient ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class EffetAdhesion:
    """La même consultation chez un médecin adhérent et chez un non-adhérent : deux bases, deux décomptes."""

    dispositif: str
    adherent: Decompte
    non_adherent: Decompte

    @property
    def ecart_brss(self) -> Decimal:
        return self.adherent.brss - self.non_adherent.brss

    @property
    def ecart_amo(self) -> Decimal:
        return self.adherent.amo - self.non_adherent.amo

    @property
    def ecart_amc(self) -> Decimal:
        return self.adherent.amc - self.non_adherent.amc

    @property
    def ecart_reste_a_charge(self) -> Decimal:
        """Négatif : l'adhésion du médecin fait économiser le patient."""
        return self.adherent.reste_a_charge - self.non_adherent.reste_a_charge

    @property
    def resume(self) -> tuple[str, ...]:
        a, n = self.adherent, self.non_adherent
        return (
            f"Base de remboursement : {euros(a.brss)} (adhérent {self.dispositif}) contre {euros(n.brss)} (non adhérent).",
            f"Sécurité sociale : {euros(a.amo)} contre {euros(n.amo)}.",
            f"Complémentaire : {euros(a.amc)} contre {euros(n.amc)}.",
            f"Reste à charge : {euros(a.reste_a_charge)} contre {euros(n.reste_a_charge)}.",
        )


def effet_adhesion(honoraires, date: Date, specialite: str = "specialiste", *, patient=None, garantie=None,
                   parcours: bool = True, dispositif: str | None = None, acte: str = "consultation",
                   brss_adherent=None, brss_non_adherent=None) -> EffetAdhesion:
    """Ce que l'adhésion du médecin (CAS ou OPTAM selon la date) change pour le patient.

    Même consultation, mêmes honoraires, même patient, même garantie : un médecin de secteur 2 adhérent
    et le même non adhérent. ``brss_adherent`` / ``brss_non_adherent`` : bases à donner quand la table
    ne les établit pas (un psychiatre non adhérent avant 2022, par exemple).

    >>> from datetime import date
    >>> e = effet_adhesion("40", date(2016, 3, 1))      # source 000 : 28 € contre 23 €
    >>> e.dispositif, e.adherent.amo, e.non_adherent.amo
    ('CAS', Decimal('18.60'), Decimal('15.10'))
    """
    verifier_date(date)
    if dispositif is None:
        for d in DPTAM:
            debut, fin, _, _ = periode(f"dptam.{d}")
            if debut <= date and (fin is None or date <= fin):
                dispositif = d
                break
        else:
            premier = min(periode(f"dptam.{d}")[0] for d in DPTAM)
            raise ErreurSaisie("date", f"aucun dispositif de pratique tarifaire maîtrisée le {date:%d/%m/%Y}",
                               f"une date à partir du {premier:%d/%m/%Y}, où un dispositif (CAS, puis OPTAM) existe")
    _dispositif(dispositif)
    adherent = Medecin(secteur=2, dptam=dispositif, specialite=specialite)
    non_adherent = Medecin(secteur=2, specialite=specialite)
    commun = dict(honoraires=honoraires, date=date, patient=patient, garantie=garantie, parcours=parcours, acte=acte)
    return EffetAdhesion(
        dispositif,
        decompte(medecin=adherent, brss=brss_adherent, **commun),
        decompte(medecin=non_adherent, brss=brss_non_adherent, **commun),
    )
