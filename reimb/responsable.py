"""Le contrat responsable (CSS art. L.871-1, R.871-1, R.871-2) : plafonds et contrôle de conformité.

R.871-2 (rédaction du décret n° 2014-1374 du 18 novembre 2014), la « double limite » sur les
dépassements des médecins qui n'ont pas adhéré à un DPTAM :

1. la prise en charge du dépassement est plafonnée à 125 % de la BRSS en 2015-2016, puis 100 % à
   partir du 1er janvier 2017 — soit 225 %, puis 200 % de la BRSS dans un tableau de garanties qui
   inclut la part Sécu ;
2. elle doit être inférieure d'au moins 20 points de BRSS à celle des médecins adhérents.

Les deux limites s'appliquent ensemble : la plus basse l'emporte (source 002).

:func:`verifier_responsable` contrôle une :class:`~reimb.Garantie` (consultations) ou un
:class:`~reimb.garanties.TableauGaranties` entier contre chaque règle de la fiche (domain-facts §7)
que le tableau touche : ticket modérateur, exclusions (participation forfaitaire, franchises,
majoration et dépassements hors parcours), double limite, forfait journalier, optique (plafonds,
planchers, monture, renouvellement), paniers 100 % Santé. Chaque règle est une donnée datée de
``parametres/contrat_responsable.toml`` ; un tableau qui enfreint une règle est signalé, pas rejeté.

Date : le projet applique les règles en vigueur à la **date des soins**. En réalité, un contrat
individuel passe aux règles de 2015 à son renouvellement à partir du 1er avril 2015, et un contrat
collectif mis en place par un acte antérieur a pu attendre sa prochaine modification, fin 2017 au plus
tard (domain-facts §7.1) : pour un contrat ancien, vérifiez sa date d'échéance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .erreurs import ErreurSaisie
from .modele import FRAIS_REELS, Garantie, Medecin, niveau
from .montants import euros as _euros
from .montants import nombre as _pct  # un nombre à la française : l'arrondi du projet, puis Babel
from .montants import taux_court
from .parametres import Valeur, parametre, serie, verifier_date
from .regles import noyau
from .regles.xp import SCALAIRE

CENT = Decimal(100)


@dataclass(frozen=True, slots=True)
class Plafond:
    """Le niveau maximal (en % de la BRSS, Sécu comprise) et la règle qui le fixe.

    Le texte de la règle (``regle``, mis en forme par Babel) n'est écrit qu'à la lecture : le moteur
    lit ``niveau`` à chaque décompte, le texte seulement quand il l'affiche (``regle_courte``, sans Babel).
    """

    niveau: Decimal | None  # None : pas de plafond à cette date
    reference: str
    limite: int | None = None  # 1 : plafond du dépassement ; 2 : écart avec les adhérents ; None : pas de plafond
    _donnees: tuple = ()  # (niveau des adhérents, plafond du dépassement, écart minimal, début des plafonds)

    @property
    def regle(self) -> str:
        """La règle qui fixe le plafond, en français (nombres mis en forme par Babel)."""
        return _texte_plafond(self, _pct)

    @property
    def regle_courte(self) -> str:
        """La même règle, nombres écrits sans Babel (chemin chaud du moteur)."""
        return _texte_plafond(self, taux_court)


def _texte_plafond(p: Plafond, pct) -> str:
    niv, depassement, ecart, premier = p._donnees
    if p.limite is None:
        return f"pas de plafond sur les dépassements avant le {premier:%d/%m/%Y}"
    if p.limite == 1:
        return (f"limite n° 1 : dépassement pris en charge au plus à {pct(depassement)} % de la BRSS, "
                f"soit {pct(CENT + depassement)} % au total")
    if niv - ecart >= CENT:
        return (f"limite n° 2 : au moins {ecart} points de BRSS sous le niveau des médecins adhérents "
                f"({pct(niv)} % − {pct(ecart)} = {pct(p.niveau)} %)")
    return (f"limite n° 2 : les médecins adhérents sont couverts à {pct(niv)} %, à moins de {pct(ecart)} points "
            f"au-dessus du ticket modérateur : aucun dépassement d'un non-adhérent n'est pris en charge, "
            f"le niveau reste le ticket modérateur ({pct(CENT)} %)")


def plafond_hors_dptam_detail(niveau_dptam, date: date) -> Plafond:
    """Le plafond d'un contrat responsable pour les médecins non adhérents, avec la limite qui joue.

    La double limite est la règle du noyau (:func:`reimb.regles.noyau.plafond_hors_dptam`), appliquée
    ici à une seule garantie, en entiers Python.
    """
    niv = niveau_equivalent(niveau_dptam, date, "niveau_dptam")
    depassement = parametre("contrat_responsable.plafond_depassement_hors_dptam", date)
    ecart = parametre("contrat_responsable.ecart_minimal_dptam", date)
    if depassement.valeur is None:
        premier = next(v.debut for v in serie("contrat_responsable.plafond_depassement_hors_dptam") if v.valeur is not None)
        return Plafond(None, depassement.reference, None, (None, None, None, premier))
    frais_reels = niv == FRAIS_REELS
    valeurs = [depassement.valeur] + ([] if ecart.valeur is None else [ecart.valeur]) + ([] if frais_reels else [niv])
    k = max(0, *(-x.as_tuple().exponent for x in valeurs))
    echelle = 10**k

    def entier(x):
        return 0 if x is None else int(x.scaleb(k))

    plafond, limite = noyau.plafond_hors_dptam(
        SCALAIRE, 0 if frais_reels else entier(niv), frais_reels, entier(depassement.valeur), entier(ecart.valeur),
        ecart.valeur is None, 100 * echelle)
    niveau_plafond = Decimal(plafond).scaleb(-k) if k else Decimal(plafond)
    if niveau_plafond == niveau_plafond.to_integral_value():
        niveau_plafond = niveau_plafond.quantize(Decimal(1))
    reference = ecart.reference if limite == 2 else depassement.reference
    return Plafond(niveau_plafond, reference, limite, (None if frais_reels else niv, depassement.valeur, ecart.valeur, None))


def plafond_hors_dptam(niveau_dptam, date: date) -> Decimal | None:
    """Le niveau le plus haut (en % BRSS, Sécu comprise) qu'un contrat responsable peut verser pour un
    médecin non adhérent à un DPTAM, à la date des soins ; ``None`` avant le 1er avril 2015.

    >>> from datetime import date
    >>> plafond_hors_dptam(150, date(2016, 3, 1))      # source 002, hypothèse 2 : 150 % → 130 %
    Decimal('130')
    >>> plafond_hors_dptam("frais réels", date(2017, 1, 1))
    Decimal('200')
    """
    return plafond_hors_dptam_detail(niveau_dptam, date).niveau


@dataclass(frozen=True, slots=True)
class Controle:
    """Le résultat d'une règle : conforme ou non, pourquoi, et la référence.

    ``a_verifier`` : la réserve de la table des paramètres sur la valeur utilisée, s'il y en a une.
    """

    regle: str
    conforme: bool
    explication: str
    reference: str
    a_verifier: str | None = None


@dataclass(frozen=True, slots=True)
class Remarque:
    """Une règle que le tableau touche mais qui n'a pas pu être jugée à cette date (pas encore en
    vigueur, valeur non établie, information absente du tableau) : dite, jamais supposée."""

    regle: str
    explication: str
    reference: str


@dataclass(frozen=True, slots=True)
class Rapport:
    """Le rapport de conformité d'une garantie à une date : une ligne par règle.

    Itérer sur un rapport parcourt les contrôles ; ``remarques`` dit ce qui n'a pas pu être jugé.
    """

    date: date
    controles: tuple[Controle, ...]
    remarques: tuple[Remarque, ...] = ()
    nom: str | None = None

    @property
    def conforme(self) -> bool:
        return all(c.conforme for c in self.controles)

    @property
    def echecs(self) -> tuple[Controle, ...]:
        return tuple(c for c in self.controles if not c.conforme)

    def controle(self, debut_regle: str) -> Controle:
        """Le premier contrôle dont la règle commence par ``debut_regle``."""
        for c in self.controles:
            if c.regle.startswith(debut_regle):
                return c
        raise KeyError(debut_regle)

    def __iter__(self):
        return iter(self.controles)

    def __len__(self):
        return len(self.controles)


def _regle(nom: str, jour: date) -> Valeur:
    return parametre(f"contrat_responsable.{nom}", jour)


# --- Consultations : ticket modérateur et double limite -------------------------------------------------

def _controles_niveaux(titre: str, d_dptam, d_hors, jour: date, textes=None) -> tuple[list, list]:
    """Ticket modérateur (deux lignes) et double limite, pour deux niveaux en % BRSS (ou frais réels)."""
    controles, remarques = [], []
    textes = textes or {}
    tm = _regle("ticket_moderateur_minimal", jour)
    if tm.valeur is None:
        remarques.append(Remarque(f"Ticket modérateur couvert{titre}", f"règle pas encore en vigueur le {jour:%d/%m/%Y}", tm.reference))
    else:
        for ligne, niv in (("médecins adhérents DPTAM", d_dptam), ("médecins non adhérents", d_hors)):
            ok = niv == FRAIS_REELS or niv >= tm.valeur
            lu = textes.get(ligne, f"{_pct(niv)} %" if niv != FRAIS_REELS else FRAIS_REELS)
            controles.append(Controle(
                f"Ticket modérateur couvert{titre} ({ligne})", ok,
                f"niveau {lu} ≥ {_pct(tm.valeur)} % de la BRSS" if ok
                else f"niveau {lu} < {_pct(tm.valeur)} % : le ticket modérateur n'est pas entièrement pris en charge",
                tm.reference,
            ))
    plafond = plafond_hors_dptam_detail(d_dptam, jour)
    if plafond.niveau is None:
        remarques.append(Remarque(f"Double limite sur les dépassements des médecins non adhérents à un DPTAM{titre}",
                                  f"{plafond.regle} : règle pas encore en vigueur le {jour:%d/%m/%Y}", plafond.reference))
    else:
        ok = d_hors != FRAIS_REELS and d_hors <= plafond.niveau
        lu = textes.get("médecins non adhérents", f"{_pct(d_hors)} %" if d_hors != FRAIS_REELS else FRAIS_REELS)
        controles.append(Controle(
            f"Double limite sur les dépassements des médecins non adhérents à un DPTAM{titre}", ok,
            f"niveau {lu} ≤ plafond {_pct(plafond.niveau)} % ({plafond.regle})" if ok
            else f"niveau {lu} au-dessus du plafond de {_pct(plafond.niveau)} % ({plafond.regle})",
            plafond.reference,
        ))
    return controles, remarques


def niveau_equivalent(valeur, jour: date, champ: str = "niveau", base: Decimal | None = None):
    """Un niveau (nombre, « frais réels ») ou une formulation de tableau (:class:`reimb.formules.Formule`) en
    « % de la BRSS, Sécu comprise », au taux Sécu des consultations du jour : « RO + 100 % BR » → 170 %.
    Un forfait en euros se convertit sur ``base`` (la BRSS de l'acte) ; sans elle, il est refusé.
    La règle est celle du noyau, à l'échelle du décompte de ce jour (:func:`reimb.decompte.equivalent_br`)."""
    from .decompte import echelle_du_jour, equivalent_br
    from .formules import Formule

    if not isinstance(valeur, Formule):
        return niveau(valeur, champ)
    if valeur.frais_reels or valeur.sur == "FR":
        return FRAIS_REELS
    if valeur.forfait and base is None:
        raise ErreurSaisie(champ, f"« {valeur} » : un forfait en euros ne se compare aux règles en % de la BRSS "
                           "qu'avec la base de l'acte", "un niveau sans forfait, ou un tableau de garanties (ligne par spécialité)")
    taux = parametre("taux_amo.consultation", jour).valeur
    return equivalent_br(valeur, base, taux, echelle_du_jour(jour))


def _verifier_garantie(garantie: Garantie, jour: date) -> Rapport:
    equivalents, textes, remarques = {}, {}, []
    for cle, lib in (("dptam", "médecins adhérents DPTAM"), ("hors_dptam", "médecins non adhérents")):
        n = getattr(garantie, cle)
        try:
            equivalents[cle] = niveau_equivalent(n, jour, f"garantie.{cle}")
        except ErreurSaisie as e:
            remarques.append(Remarque("Niveaux de la consultation", e.message, "Tableau de garanties"))
            return Rapport(jour, (), tuple(remarques), garantie.nom)
        if not isinstance(n, (Decimal, str)):
            eq = equivalents[cle]
            textes[lib] = f"« {n} »" + ("" if eq == FRAIS_REELS else f" (soit {_pct(eq)} % de la BRSS, Sécu comprise)")
    controles, r = _controles_niveaux("", equivalents["dptam"], equivalents["hors_dptam"], jour, textes)
    return Rapport(jour, tuple(controles), tuple(remarques + r), garantie.nom)


def _consultations(tableau, jour: date) -> tuple[list, list]:
    from . import tarifs
    from .decompte import echelle_du_jour
    from .garanties import SPECIALITES_TABLEAU

    controles, remarques = [], []
    for spe, ligne in tableau.consultations:
        titre = f" — consultation de {SPECIALITES_TABLEAU[spe]}"
        equivalents, textes = {}, {}
        for cle, lib, niv, medecin in (
            ("dptam", "médecins adhérents DPTAM", ligne.dptam, Medecin(secteur=1, specialite=spe)),
            ("hors_dptam", "médecins non adhérents", ligne.hors_dptam, Medecin(secteur=2, specialite=spe)),
        ):
            if niv.forfait and not niv.frais_reels:
                # Un forfait en euros se compare aux règles en % de la BRSS du jour (R.871-2 s'exprime en BRSS).
                try:
                    base = tarifs.brss("consultation", medecin, jour).valeur
                except ErreurSaisie as e:
                    remarques.append(Remarque(f"Niveaux de la consultation{titre}",
                                              f"le forfait en euros ({niv.texte}) ne peut pas être converti en % de la BRSS : {e}", "Table des tarifs du projet"))
                    break
                eq = niv.equivalent(base, parametre("taux_amo.consultation", jour).valeur, echelle_du_jour(jour))
                textes[lib] = f"{niv.texte} (soit {_pct(eq)} % d'une BRSS de {_euros(base)})"
            else:
                # sans forfait, la base n'intervient pas
                eq = niv.equivalent(CENT, parametre("taux_amo.consultation", jour).valeur, echelle_du_jour(jour))
                textes[lib] = niv.texte
            equivalents[cle] = eq
        else:
            c, r = _controles_niveaux(titre, equivalents["dptam"], equivalents["hors_dptam"], jour, textes)
            controles += c
            remarques += r
    return controles, remarques


# --- Mentions et exclusions -----------------------------------------------------------------------------

def _mention(valeur: bool | None, nom_regle: str, regle: str, jour: date, oui: str, non: str) -> tuple[list, list]:
    if valeur is None:
        return [], []
    p = _regle(nom_regle, jour)
    if p.valeur is None:
        return [], [Remarque(regle, f"règle pas encore en vigueur le {jour:%d/%m/%Y}", p.reference)]
    return [Controle(regle, valeur is True, oui if valeur else non, p.reference, p.a_verifier)], []


def _mentions(t, jour: date) -> tuple[list, list]:
    pf = parametre("participation_forfaitaire.montant", jour).valeur
    controles, remarques = [], []
    tm = _regle("ticket_moderateur_minimal", jour)
    if t.ticket_moderateur_couvert is not None:
        if tm.valeur is None:
            remarques.append(Remarque("Ticket modérateur couvert (mention du tableau)", f"règle pas encore en vigueur le {jour:%d/%m/%Y}", tm.reference))
        else:
            controles.append(Controle(
                "Ticket modérateur couvert (mention du tableau)", t.ticket_moderateur_couvert,
                "le tableau couvre le ticket modérateur" if t.ticket_moderateur_couvert
                else "le tableau ne couvre pas le ticket modérateur, qu'un contrat responsable doit prendre en charge en entier",
                tm.reference,
            ))
    for valeur, nom, regle, oui, non in (
        (t.participation_forfaitaire_exclue, "exclusion_participation_forfaitaire", "Participation forfaitaire non remboursée",
         f"la participation forfaitaire ({_euros(pf)} par consultation à cette date) reste au patient",
         f"le tableau rembourse la participation forfaitaire ({_euros(pf)} par consultation à cette date) : interdit à un contrat responsable"),
        (t.franchises_exclues, "exclusion_franchises", "Franchises médicales non remboursées",
         "les franchises restent au patient", "le tableau rembourse les franchises médicales : interdit à un contrat responsable"),
        (t.majoration_hors_parcours_exclue, "exclusion_majoration_hors_parcours", "Majoration hors parcours non remboursée",
         "la majoration du ticket modérateur hors parcours reste au patient",
         "le tableau rembourse la majoration du ticket modérateur hors parcours : interdit à un contrat responsable"),
        (t.depassements_hors_parcours_exclus, "exclusion_depassements_hors_parcours", "Dépassements hors parcours non remboursés",
         "les dépassements facturés hors parcours (au moins jusqu'au DA) restent au patient",
         "le tableau rembourse les dépassements hors parcours : interdit à un contrat responsable, au moins jusqu'au montant du DA"),
    ):
        c, r = _mention(valeur, nom, regle, jour, oui, non)
        controles += c
        remarques += r
    return controles, remarques


# --- Hospitalisation ---------------------------------------------------------------------------------------

def _forfait_journalier(t, jour: date) -> tuple[list, list]:
    if t.forfait_journalier is None and t.forfait_journalier_duree_max_jours is None:
        return [], []
    p = _regle("forfait_journalier_integral", jour)
    regle = "Forfait journalier hospitalier pris en charge en entier, sans limitation de durée"
    if p.valeur is None:
        return [], [Remarque(regle, f"règle pas encore en vigueur le {jour:%d/%m/%Y}", p.reference)]
    fj = t.forfait_journalier
    integral = fj is not None and (fj.frais_reels or (fj.pourcentage is not None and fj.pourcentage >= CENT))
    duree = t.forfait_journalier_duree_max_jours
    if not integral:
        explication = f"forfait journalier pris en charge à « {fj.texte if fj else 'non précisé'} » : la prise en charge doit être intégrale"
    elif duree is not None:
        explication = f"prise en charge limitée à {duree} jours : elle doit être sans limitation de durée"
    else:
        explication = f"forfait journalier pris en charge en entier ({fj.texte}), sans limitation de durée"
    return [Controle(regle, integral and duree is None, explication, p.reference, p.a_verifier)], []


# --- Optique -----------------------------------------------------------------------------------------------

def _optique(t, jour: date) -> tuple[list, list]:
    from .garanties import COMBINAISONS

    o = t.optique
    if o is None:
        return [], []
    controles, remarques = [], []

    def plafond(nom: str, regle: str, montant: Decimal, prefixe: str = "") -> None:
        """Un montant du tableau sous son plafond légal du jour (remarque s'il n'y en a pas)."""
        p = _regle(nom, jour)
        if p.valeur is None:
            remarques.append(Remarque(regle, f"pas de plafond le {jour:%d/%m/%Y}", p.reference))
            return
        ok = montant <= p.valeur
        explication = f"{prefixe}{_euros(montant)} {'≤' if ok else '>'} plafond de {_euros(p.valeur)}"
        controles.append(Controle(regle, ok, explication, p.reference, p.a_verifier))

    if o.monture is not None:
        plafond("optique.plafond_monture", "Optique : plafond de la monture", o.monture, prefixe="monture ")
    for combi, montant in o.equipements:
        libelle = COMBINAISONS[combi]
        plafond(f"optique.plafond.{combi}", f"Optique : plafond d'un équipement à {libelle}", montant)
        regle = f"Optique : plancher d'un équipement à {libelle}"
        try:
            p = _regle(f"optique.plancher.{combi}", jour)
        except ErreurSaisie:
            # La série s'arrête fin 2019 : le maintien des planchers n'est pas établi (domain-facts §7.5).
            remarques.append(Remarque(regle, f"le {jour:%d/%m/%Y}, régime de 2020 : les textes cités par le cours ne donnent pas "
                                      "ce plancher, la règle n'est donc pas contrôlée",
                                      "Décret n° 2019-21 (les planchers du régime de 2020 ne sont pas dans nos sources)"))
            continue
        if p.valeur is not None:
            ok = montant >= p.valeur
            controles.append(Controle(regle, ok, f"{_euros(montant)} {'≥' if ok else '<'} plancher de {_euros(p.valeur)}", p.reference, p.a_verifier))
    if o.renouvellement_ans is not None:
        p = _regle("optique.renouvellement_minimal", jour)
        regle = "Optique : un équipement au plus tous les deux ans (adulte)"
        if p.valeur is None:
            remarques.append(Remarque(regle, f"pas de délai imposé le {jour:%d/%m/%Y}", p.reference))
        else:
            ok = o.renouvellement_ans >= p.valeur
            controles.append(Controle(
                regle, ok,
                f"renouvellement tous les {o.renouvellement_ans} an{'s' if o.renouvellement_ans > 1 else ''} {'≥' if ok else '<'} {_pct(p.valeur)} ans"
                + ("" if ok else " : le contrat rembourse un équipement trop souvent"),
                p.reference, p.a_verifier,
            ))
    return controles, remarques


def _cent_pour_cent_sante(t, jour: date) -> tuple[list, list]:
    controles, remarques = [], []
    for valeur, nom, poste, touche in (
        (t.panier_100_sante_optique, "optique", "optique", t.optique is not None),
        (t.panier_100_sante_dentaire, "dentaire", "dentaire", False),
        (t.panier_100_sante_audiologie, "audiologie", "audiologie", False),
    ):
        p = _regle(f"cent_pour_cent_sante.{nom}", jour)
        regle = f"Panier 100 % Santé {poste} pris en charge sans reste à charge"
        if valeur is None:
            if touche and p.valeur is not None:
                remarques.append(Remarque(regle, f"le tableau couvre l'{poste} mais ne dit pas s'il prend en charge le panier 100 % Santé", p.reference))
            continue
        if p.valeur is None:
            remarques.append(Remarque(regle, f"règle pas encore en vigueur le {jour:%d/%m/%Y}", p.reference))
            continue
        controles.append(Controle(
            regle, valeur is True,
            f"le panier 100 % Santé {poste} est pris en charge" if valeur
            else f"le tableau ne prend pas en charge le panier 100 % Santé {poste}, obligatoire à cette date",
            p.reference, p.a_verifier,
        ))
    return controles, remarques


def verifier_responsable(garantie, date: date) -> Rapport:
    """Contrôle une garantie, ou un tableau de garanties entier, contre les règles du contrat
    responsable en vigueur à ``date`` : un contrôle par règle que le tableau touche.

    Une garantie qui enfreint une règle est signalée (``conforme=False``), pas rejetée. Les règles
    touchées mais non jugeables (pas encore en vigueur, valeur non établie) vont dans ``remarques``.
    """
    from .garanties import TableauGaranties

    verifier_date(date)
    if isinstance(garantie, Garantie):
        return _verifier_garantie(garantie, date)
    if not isinstance(garantie, TableauGaranties):
        raise ErreurSaisie("garantie", f"{type(garantie).__name__} n'est ni une Garantie ni un TableauGaranties",
                           "reimb.Garantie(...) ou un tableau lu par reimb.charger_garanties(...)")
    controles, remarques = [], []
    for partie in (_consultations, _mentions, _forfait_journalier, _optique, _cent_pour_cent_sante):
        c, r = partie(garantie, date)
        controles += c
        remarques += r
    return Rapport(date, tuple(controles), tuple(remarques), garantie.nom)
