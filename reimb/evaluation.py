"""L'évaluation nominative de fin de formation : des questions tirées pour chaque stagiaire, corrigées par ``reimb``.

>>> from datetime import date, datetime, timezone
>>> ev = Evaluation(nom="Camille Martin", jour=date(2026, 3, 2))
>>> len(ev.questions) >= 10
True
>>> q = ev.questions[0]
>>> r = ev.repondre(0, {k: str(v) for k, v in q.attendu.items()})
>>> r.juste, ev.score
(True, Decimal('10.00'))

Chaque stagiaire reçoit ses propres montants (honoraires, niveaux de garantie, âge, date des soins) :
le tirage dépend d'une graine dérivée de son nom et du jour de l'évaluation par SHA-256 (jamais par
``hash()``, qui change d'un lancement de Python à l'autre). Deux stagiaires côte à côte ont donc des
nombres différents ; le même stagiaire, le même jour, retrouve les mêmes.

Les bonnes réponses sont calculées par :func:`reimb.decompte` — jamais écrites à la main. Chaque
question connaît aussi les **erreurs habituelles** (participation forfaitaire oubliée, remboursement
Sécu pris après la participation, « 20 points » lus comme 20 %, honoraires pris pour la base, parts de
la complémentaire et du patient inversées…) : chacune est calculée, elle aussi, puis comparée à la
réponse, au centime près, pour nommer l'erreur dans le message.

Seule la **première** réponse à une question compte dans le score (la correction est montrée aussitôt
après) ; une saisie illisible (« quinze ») n'est pas une réponse et ne compte pas.

Les dates des soins sont tirées dans la dernière année couverte par la table des paramètres (2026
aujourd'hui), jusqu'au jour de l'évaluation s'il tombe dans cette année.

Ce module ne dépend ni d'ipywidgets ni de matplotlib. Seul :meth:`Evaluation.enregistrer` écrit,
en plus du relevé JSON, l'attestation PDF : il appelle pour cela
:mod:`reimb.presentation.attestation` (import à l'appel, voir la méthode).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, UTC
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

from .decompte import Decompte, decompte
from .erreurs import ErreurSaisie
from .modele import FRAIS_REELS, Garantie, Medecin, Patient
from .montants import CENT, CENTIME, ZERO, arrondi, en_decimal, euros
from .parametres import couverture, parametre
from .tarifs import brss as _brss

FORMAT = "reimb.evaluation/1"
TOLERANCE = CENTIME  # un centime

#: Les compétences évaluées, dans l'ordre du cours.
COMPETENCES = {
    "base": "Base de remboursement selon le secteur et la date",
    "part_secu": "Part de la Sécurité sociale (AMO)",
    "participation_forfaitaire": "Participation forfaitaire",
    "ticket_moderateur": "Ticket modérateur",
    "complementaire": "Complémentaire et plafonds du contrat responsable",
    "reste_a_charge": "Reste à charge",
    "optam": "Effet de l'OPTAM",
    "hors_parcours": "Hors parcours de soins",
    "css": "Complémentaire santé solidaire (CSS)",
    "libelle_garantie": "Lire le libellé d'une garantie",
}

#: Les modules du cours couverts par l'évaluation (pour l'attestation).
MODULES = (
    "00 — Bienvenue : le vocabulaire et un premier décompte",
    "01 — Les secteurs conventionnels",
    "02 — Du CAS à l'OPTAM",
    "03 — Le contrat responsable",
    "04 — Cas pratiques",
    "05 — Une garantie sur une population",
)

#: Les montants qu'une question peut demander, avec leur libellé.
CHAMPS = {
    "brss": "Base de remboursement (BRSS)",
    "amo": "Remboursement de la Sécurité sociale (AMO)",
    "ticket_moderateur": "Ticket modérateur",
    "amc": "Remboursement de la complémentaire (AMC)",
    "reste_a_charge": "Reste à charge du patient",
    "economie": "Baisse du reste à charge",
}

#: Les erreurs habituelles : code → ce que le message dit au stagiaire.
ERREURS = {
    "oubli_pf": "vous avez oublié la participation forfaitaire : elle est retenue sur le remboursement de la Sécu "
                "et aucun contrat responsable ne la rembourse, elle reste donc au patient.",
    "avant_pf": "vous avez donné le remboursement Sécu avant la participation forfaitaire : la Sécu verse "
                "taux × BRSS, moins la participation forfaitaire.",
    "amo_net": "vous avez déduit le remboursement Sécu après participation forfaitaire : la complémentaire "
               "déduit le remboursement Sécu avant participation forfaitaire (la participation reste au patient).",
    # L'écart de 20 points de BRSS : CSS art. R.871-2 (parametres/contrat_responsable.toml, ecart_minimal_dptam).
    "vingt_pour_cent": "vous avez lu « 20 points » comme 20 % : chez un médecin non adhérent, un contrat responsable "
                       "couvre au moins 20 points de BRSS de moins que chez un adhérent (150 % − 20 points = 130 %, "
                       "et non 150 % × 0,8 = 120 %).",
    "plafond_oublie": "vous avez oublié le plafond du contrat responsable chez un médecin non adhérent "
                      "(article R.871-2 du code de la Sécurité sociale).",
    "honoraires_base": "vous avez pris les honoraires pour la base : la Sécu et les garanties « % BRSS » se "
                       "calculent sur la base de remboursement, pas sur ce que facture le médecin.",
    "inversion": "vous avez inversé la part de la complémentaire et le reste à charge.",
    "base_secteur1": "vous avez pris la base du secteur 1 : un médecin non adhérent à l'OPTAM qui facture un "
                     "dépassement est remboursé sur le code nu, sans les majorations.",
    "base_non_adherent": "vous avez pris la base d'un médecin non adhérent : un adhérent à l'OPTAM est remboursé "
                         "sur la même base que le secteur 1.",
    "tm_depassement": "vous avez ajouté le dépassement au ticket modérateur : le ticket modérateur est la part de "
                      "la BRSS que la Sécu ne rembourse pas ; le dépassement est en plus.",
    "tm_pf": "vous avez ajouté la participation forfaitaire au ticket modérateur : le ticket modérateur est "
             "BRSS − remboursement Sécu avant participation forfaitaire.",
    "pf_mineur": "vous avez compté la participation forfaitaire : un patient mineur n'en paie pas.",
    "taux_parcours": "vous avez appliqué le taux du parcours de soins : hors parcours, la Sécu rembourse moins "
                     "(ticket modérateur majoré).",
    "majoration_remboursee": "vous avez fait rembourser la majoration hors parcours par la complémentaire : un "
                             "contrat responsable ne la rembourse pas.",
    "css_pf": "vous avez compté la participation forfaitaire : un bénéficiaire de la complémentaire santé solidaire "
              "n'en paie pas.",
    "secu_seule": "vous n'avez compté que l'écart de remboursement de la Sécu : la complémentaire rembourse aussi "
                  "davantage chez l'adhérent (base plus haute, ligne « adhérents » plus généreuse).",
    "ecart_base": "vous avez donné l'écart entre les deux bases : ce qui compte pour le patient, c'est l'écart de "
                  "reste à charge.",
    "lecture_libelle": "vous avez mal lu le libellé de la garantie : « Sécu incluse » veut dire que le "
                       "pourcentage comprend le remboursement de la Sécu ; « en plus du remboursement de la Sécu » "
                       "veut dire qu'il s'y ajoute.",
}

#: Les mêmes erreurs en quelques mots (attestation, tableau du formateur).
ERREURS_COURTES = {
    "oubli_pf": "participation forfaitaire oubliée",
    "avant_pf": "remboursement Sécu avant participation forfaitaire",
    "amo_net": "remboursement Sécu pris après participation forfaitaire",
    "vingt_pour_cent": "« 20 points » lus comme 20 %",
    "plafond_oublie": "plafond du contrat responsable oublié",
    "honoraires_base": "honoraires pris pour la base",
    "inversion": "complémentaire et reste à charge inversés",
    "base_secteur1": "base du secteur 1 chez un non-adhérent",
    "base_non_adherent": "base d'un non-adhérent chez un adhérent",
    "tm_depassement": "dépassement ajouté au ticket modérateur",
    "tm_pf": "participation forfaitaire ajoutée au ticket modérateur",
    "pf_mineur": "participation forfaitaire comptée à un mineur",
    "taux_parcours": "taux du parcours appliqué hors parcours",
    "majoration_remboursee": "majoration hors parcours remboursée",
    "css_pf": "participation forfaitaire comptée à un bénéficiaire de la CSS",
    "secu_seule": "écart de la seule part Sécu",
    "ecart_base": "écart des bases au lieu du reste à charge",
    "lecture_libelle": "libellé de garantie mal lu (Sécu incluse / en plus)",
}

_NBSP = "\u00a0"


def typo(texte: str) -> str:
    """La typographie française : espace insécable avant : ; ? ! % € et à l'intérieur des guillemets."""
    texte = re.sub(r" ([:;?!%€»])", _NBSP + r"\1", texte)
    return texte.replace("« ", "«" + _NBSP)


def _eur(d: Decimal) -> str:
    """« 30 € », « 31,50 € » (montants ronds sans centimes) pour un énoncé."""
    d = arrondi(d)
    texte = f"{d:.0f}" if d == d.to_integral_value() else f"{d:.2f}".replace(".", ",")
    return texte + _NBSP + "€"


def taux_court(d: Decimal) -> str:
    """« 70 », « 17,5 » : un taux sans zéros inutiles."""
    return format(d.normalize(), "f").replace(".", ",")


def _pct(d: Decimal) -> str:
    return taux_court(d) + _NBSP + "%"


def _date_fr(jour: date) -> str:
    from babel.dates import format_date

    texte = format_date(jour, "d MMMM y", locale="fr_FR")
    return "1er" + texte[1:] if jour.day == 1 else texte


def graine_de(nom: str, jour: date) -> int:
    """La graine d'un stagiaire : SHA-256 du nom (sans accents ni casse) et du jour — stable d'un lancement à l'autre."""
    cle = f"{_normaliser(nom)}|{jour.isoformat()}".encode()
    return int.from_bytes(hashlib.sha256(cle).digest()[:8], "big")


def _normaliser(nom: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.casefold().split())


def nom_de_fichier(nom: str, jour: date) -> str:
    """``"2026-03-02_camille-martin"`` : la date, puis le nom sans accents ni espaces."""
    morceau = re.sub(r"[^a-z0-9]+", "-", _normaliser(nom)).strip("-") or "stagiaire"
    return f"{jour.isoformat()}_{morceau}"


# --- Questions et réponses ---------------------------------------------------------------------

@dataclass(frozen=True)
class ErreurType:
    """Une erreur habituelle : son code (voir :data:`ERREURS`) et les montants qu'elle donne."""

    code: str
    reponse: dict[str, Decimal]


@dataclass(frozen=True)
class Question:
    """Une question : énoncé, montants attendus (calculés par ``reimb``), compétence, erreurs prévues."""

    numero: int
    competence: str
    enonce: str
    attendu: dict[str, Decimal]
    decompte: Decompte | None
    explication: str
    erreurs: tuple[ErreurType, ...] = ()
    decomptes: tuple[Decompte, ...] = ()  # les décomptes à montrer après la réponse

    @property
    def libelle_competence(self) -> str:
        return COMPETENCES[self.competence]

    @property
    def champs(self) -> tuple[str, ...]:
        return tuple(self.attendu)


@dataclass(frozen=True)
class Resultat:
    """Le verdict d'une réponse. ``juste`` : ``None`` si la saisie est illisible (rien n'est compté)."""

    numero: int
    juste: bool | None
    message: str
    erreur: str | None = None
    reponses: dict[str, Decimal] | None = None
    compte: bool = True  # False : une réponse après la première, ou une saisie illisible


def _proche(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= TOLERANCE


def lire_reponse(valeur, champ: str = "réponse") -> Decimal:
    """Une réponse en euros, à la française : « 2,00 », « 2 € », « 2.00 », « 1 015,40 € »."""
    if valeur is None or (isinstance(valeur, str) and not valeur.strip()):
        raise ErreurSaisie(champ, "la case est vide", "un montant en euros, par ex. 12,50")
    try:
        return en_decimal(valeur, champ)
    except ErreurSaisie:
        raise ErreurSaisie(champ, f"« {valeur} » n'est pas un montant", "un montant en euros, par ex. 12,50 ou 12,50 €") from None


# --- Le tirage ---------------------------------------------------------------------------------

class _Tirage:
    """Les tirages d'un stagiaire et les objets de ``reimb`` qui en découlent."""

    def __init__(self, graine: int, jour: date):
        self.rng = random.Random(graine)
        debut, fin = couverture()
        premier = max(debut, date(fin.year, 1, 1))
        dernier = fin
        if premier + timedelta(days=30) <= jour <= fin:
            dernier = jour
        self.premier, self.dernier = premier, dernier

    def date_soins(self) -> date:
        return self.premier + timedelta(days=self.rng.randrange((self.dernier - self.premier).days + 1))

    def choix(self, options):
        return options[self.rng.randrange(len(options))]

    def entier(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)


def _base(medecin: Medecin, jour: date, parcours: bool = True) -> Decimal:
    return _brss("consultation", medecin, jour, parcours).valeur


def _hors_dptam(x: Decimal, jour: date) -> Decimal:
    """Le niveau « non adhérents » d'un contrat qui respecte l'écart minimal avec les adhérents (R.871-2)."""
    ecart = parametre("contrat_responsable.ecart_minimal_dptam", jour).valeur or ZERO
    return max(CENT, x - ecart)


def _honoraires_au_dessus(t: _Tirage, base: Decimal, de: int, a: int) -> Decimal:
    """Des honoraires ronds, de ``de`` à ``a`` euros au-dessus de la base (arrondie à l'euro supérieur)."""
    plancher = int(base.to_integral_value(rounding=ROUND_CEILING))
    return Decimal(plancher + t.entier(de, a)).quantize(CENTIME)


def _medecin_txt(m: Medecin) -> str:
    spe = {"generaliste": "généraliste", "specialiste": "spécialiste"}.get(m.specialite, m.specialite)
    if m.secteur == 1:
        return f"un {spe} de secteur 1"
    if m.dptam:
        return f"un {spe} de secteur 2 adhérent à l'{m.dptam}"
    return f"un {spe} de secteur 2 non adhérent à l'OPTAM"


def _variante(d: Decompte, **changements) -> Decompte:
    """Le même décompte avec d'autres entrées (pour calculer une erreur habituelle)."""
    entrees = dict(honoraires=d.honoraires, date=d.date, medecin=d.medecin, patient=d.patient, garantie=d.garantie,
                   parcours=d.parcours)
    entrees.update(changements)
    return decompte(**entrees)


def _erreurs(attendu: dict[str, Decimal], *candidates: tuple[str, dict[str, Decimal]]) -> tuple[ErreurType, ...]:
    """Garde les erreurs qui donnent un autre montant que la bonne réponse (sinon elles ne se voient pas)."""
    garde = []
    for code, reponse in candidates:
        if any(not _proche(v, attendu[k]) for k, v in reponse.items()):
            garde.append(ErreurType(code, reponse))
    return tuple(garde)


def _lignes_decompte(d: Decompte) -> str:
    if d.participation_forfaitaire:
        secu = (f"Sécu : {_pct(d.taux)} × {_eur(d.brss)} = {_eur(d.amo_brut)}, moins la participation forfaitaire de "
                f"{_eur(d.participation_forfaitaire)}, soit {_eur(d.amo)}")
    else:
        secu = f"Sécu : {_pct(d.taux)} × {_eur(d.brss)} = {_eur(d.amo)} (pas de participation forfaitaire)"
    amc = f" ; complémentaire : {_eur(d.amc)}" if d.garantie is not None or d.patient.css else ""
    return f"BRSS {_eur(d.brss)} ; {secu}{amc} ; reste à charge : {_eur(d.reste_a_charge)}."


def _q_base(t: _Tirage, n: int) -> Question:
    jour = t.date_soins()
    spe = t.choix(("generaliste", "specialiste"))
    m = t.choix((Medecin(secteur=2, dptam="OPTAM", specialite=spe), Medecin(secteur=2, specialite=spe)))
    s1 = _base(Medecin(secteur=1, specialite=spe), jour)
    h = _honoraires_au_dessus(t, s1, 5, 30)
    d = decompte(honoraires=h, date=jour, medecin=m, patient=Patient(age=t.entier(20, 75)))
    attendu = {"brss": d.brss}
    autre = _base(Medecin(secteur=2, specialite=spe), jour) if m.dptam else s1
    erreurs = _erreurs(attendu, ("honoraires_base", {"brss": h}),
                       ("base_non_adherent" if m.dptam else "base_secteur1", {"brss": autre}))
    enonce = (f"Le {_date_fr(jour)}, {_medecin_txt(m)} facture une consultation {_eur(h)} à un patient qui respecte "
              f"le parcours de soins. Sur quelle base la Sécurité sociale rembourse-t-elle ?")
    regle = ("un adhérent à l'OPTAM est remboursé sur la base du secteur 1" if m.dptam else
             "un non-adhérent qui facture un dépassement est remboursé sur le code nu, sans les majorations")
    return Question(n, "base", typo(enonce), attendu, d, typo(f"BRSS {_eur(d.brss)} : {regle}."), erreurs, (d,))


def _medecin_et_honoraires(t: _Tirage, jour: date, ecart_minimum: int) -> tuple[Medecin, Decimal]:
    """Un généraliste de secteur 1 au tarif, ou un spécialiste de secteur 2 (OPTAM ou non) avec un dépassement de
    ``ecart_minimum`` à 40 € au-dessus de la base du secteur 1 (le tirage se fait toujours dans cet ordre)."""
    choix = t.choix(("g1", "s2optam", "s2"))
    if choix == "g1":
        m = Medecin(secteur=1, specialite="generaliste")
        return m, _base(m, jour)
    m = Medecin(secteur=2, dptam="OPTAM" if choix == "s2optam" else None, specialite="specialiste")
    return m, _honoraires_au_dessus(t, _base(Medecin(secteur=1, specialite="specialiste"), jour), ecart_minimum, 40)


def _q_part_secu(t: _Tirage, n: int) -> Question:
    jour = t.date_soins()
    m, h = _medecin_et_honoraires(t, jour, 5)
    age = t.entier(25, 75)
    d = decompte(honoraires=h, date=jour, medecin=m, patient=Patient(age=age))
    attendu = {"amo": d.amo}
    sur_honoraires = arrondi(h * d.taux / CENT) - d.participation_forfaitaire
    erreurs = _erreurs(attendu, ("avant_pf", {"amo": d.amo_brut}), ("honoraires_base", {"amo": sur_honoraires}))
    enonce = (f"Le {_date_fr(jour)}, un patient de {age} ans, dans le parcours de soins, consulte {_medecin_txt(m)} "
              f"qui facture {_eur(h)}. Combien la Sécurité sociale lui rembourse-t-elle ?")
    return Question(n, "part_secu", typo(enonce), attendu, d, typo(_lignes_decompte(d)), erreurs, (d,))


def _q_participation(t: _Tirage, n: int) -> Question:
    jour = t.date_soins()
    m = Medecin(secteur=1, specialite=t.choix(("generaliste", "specialiste")))
    mineur = t.choix((True, False))
    seuil = int(parametre("participation_forfaitaire.age_exoneration", jour).valeur)  # exonération des mineurs
    age = t.entier(6, seuil - 1) if mineur else t.entier(seuil, 80)
    g = Garantie(dptam=100, hors_dptam=100, responsable=True)
    h = _base(m, jour)
    d = decompte(honoraires=h, date=jour, medecin=m, patient=Patient(age=age), garantie=g)
    attendu = {"reste_a_charge": d.reste_a_charge}
    if mineur:
        adulte = _variante(d, patient=Patient(age=40))
        candidates = [("pf_mineur", {"reste_a_charge": adulte.reste_a_charge})]
    else:
        candidates = [("oubli_pf", {"reste_a_charge": d.reste_a_charge - d.participation_forfaitaire})]
    enonce = (f"Le {_date_fr(jour)}, un patient de {age} ans (âge au 1er janvier) consulte {_medecin_txt(m)} dans le "
              f"parcours de soins : {_eur(h)}. Sa complémentaire, un contrat responsable, rembourse 100 % de la BRSS "
              f"(Sécu comprise). Combien lui reste-t-il à payer ?")
    return Question(n, "participation_forfaitaire", typo(enonce), attendu, d, typo(_lignes_decompte(d)),
                    _erreurs(attendu, *candidates), (d,))


def _q_ticket(t: _Tirage, n: int) -> Question:
    jour = t.date_soins()
    m, h = _medecin_et_honoraires(t, jour, 8)
    d = decompte(honoraires=h, date=jour, medecin=m, patient=Patient(age=t.entier(25, 75)))
    attendu = {"ticket_moderateur": d.ticket_moderateur}
    erreurs = _erreurs(
        attendu,
        ("honoraires_base", {"ticket_moderateur": h - arrondi(h * d.taux / CENT)}),
        ("tm_depassement", {"ticket_moderateur": h - d.amo_brut}),
        ("tm_pf", {"ticket_moderateur": d.ticket_moderateur + d.participation_forfaitaire}),
    )
    enonce = (f"Le {_date_fr(jour)}, {_medecin_txt(m)} facture {_eur(h)} à un patient adulte, dans le parcours de "
              f"soins. Quel est le ticket modérateur ?")
    expl = (f"Ticket modérateur = BRSS − remboursement Sécu avant participation forfaitaire = {_eur(d.brss)} − "
            f"{_eur(d.amo_brut)} = {_eur(d.ticket_moderateur)}.")
    return Question(n, "ticket_moderateur", typo(enonce), attendu, d, typo(expl), erreurs, (d,))


def _q_complementaire(t: _Tirage, n: int) -> Question:
    jour = t.date_soins()
    m = Medecin(secteur=2, specialite="specialiste")
    base = _base(m, jour)
    x = Decimal(t.choix((150, 175, 200, 250)))
    h = _honoraires_au_dessus(t, base * 2, 4, 40)  # au-dessus de 200 % de la BRSS : le plafond se voit
    g = Garantie(dptam=x, hors_dptam=FRAIS_REELS, responsable=True)
    d = decompte(honoraires=h, date=jour, medecin=m, patient=Patient(age=t.entier(25, 75)), garantie=g)
    attendu = {"amc": d.amc}
    ecart = parametre("contrat_responsable.ecart_minimal_dptam", jour).valeur
    plafond = parametre("contrat_responsable.plafond_depassement_hors_dptam", jour).valeur
    vingt = min(x * (CENT - ecart) / CENT, CENT + plafond) if ecart is not None and plafond is not None else x
    lu_vingt = _variante(d, garantie=Garantie(dptam=x, hors_dptam=vingt, responsable=False))
    sans_plafond = _variante(d, garantie=Garantie(dptam=x, hors_dptam=x, responsable=False))
    erreurs = _erreurs(attendu, ("vingt_pour_cent", {"amc": lu_vingt.amc}), ("plafond_oublie", {"amc": sans_plafond.amc}),
                       ("amo_net", {"amc": d.amc + d.participation_forfaitaire}))
    enonce = (f"Le {_date_fr(jour)}, {_medecin_txt(m)} facture {_eur(h)} à un patient adulte, dans le parcours de "
              f"soins. Son contrat responsable rembourse {_pct(x)} de la BRSS (Sécu comprise) chez les médecins "
              f"adhérents à l'OPTAM et, chez les autres, le maximum que permet un contrat responsable. Combien "
              f"rembourse la complémentaire ?")
    niv = d.niveau_applique
    expl = (f"Plafond chez un non-adhérent : {_pct(niv)} de la BRSS (le plus bas de {_pct(CENT + plafond)} et de "
            f"{_pct(x)} − {taux_court(ecart)} points). Complémentaire = {_pct(niv)} × {_eur(d.brss)} − "
            f"{_eur(d.amo_brut)} = {_eur(d.amc)}.") if plafond is not None and ecart is not None else _lignes_decompte(d)
    return Question(n, "complementaire", typo(enonce), attendu, d, typo(expl), erreurs, (d,))


def _q_reste(t: _Tirage, n: int) -> Question:
    jour = t.date_soins()
    m = Medecin(secteur=2, dptam="OPTAM", specialite="specialiste")
    base = _base(m, jour)
    x = Decimal(t.choix((100, 125, 150, 200)))
    h = _honoraires_au_dessus(t, base, 10, 45)
    g = Garantie(dptam=x, hors_dptam=_hors_dptam(x, jour), responsable=True)
    d = decompte(honoraires=h, date=jour, medecin=m, patient=Patient(age=t.entier(25, 75)), garantie=g)
    attendu = {"amc": d.amc, "reste_a_charge": d.reste_a_charge}
    pf = d.participation_forfaitaire
    garanti_h = min(h, arrondi(h * x / CENT))
    amc_h = max(ZERO, garanti_h - d.amo_brut)
    erreurs = _erreurs(
        attendu,
        ("inversion", {"amc": d.reste_a_charge, "reste_a_charge": d.amc}),
        ("oubli_pf", {"amc": d.amc, "reste_a_charge": d.reste_a_charge - pf}),
        ("amo_net", {"amc": d.amc + pf, "reste_a_charge": d.reste_a_charge - pf}),
        ("honoraires_base", {"amc": amc_h, "reste_a_charge": h - d.amo - amc_h}),
    )
    enonce = (f"Le {_date_fr(jour)}, {_medecin_txt(m)} facture {_eur(h)} à un patient adulte, dans le parcours de "
              f"soins. Sa complémentaire rembourse {_pct(x)} de la BRSS, Sécu comprise, chez les médecins adhérents. "
              f"Combien rembourse la complémentaire, et combien reste-t-il au patient ?")
    return Question(n, "reste_a_charge", typo(enonce), attendu, d, typo(_lignes_decompte(d)), erreurs, (d,))


def _q_optam(t: _Tirage, n: int) -> Question:
    jour = t.date_soins()
    x = Decimal(t.choix((150, 175, 200)))
    g = Garantie(dptam=x, hors_dptam=_hors_dptam(x, jour), responsable=True)
    adherent = Medecin(secteur=2, dptam="OPTAM", specialite="specialiste")
    non = Medecin(secteur=2, specialite="specialiste")
    h = _honoraires_au_dessus(t, _base(adherent, jour), 12, 40)
    p = Patient(age=t.entier(25, 75))
    d_a = decompte(honoraires=h, date=jour, medecin=adherent, patient=p, garantie=g)
    d_n = decompte(honoraires=h, date=jour, medecin=non, patient=p, garantie=g)
    attendu = {"economie": d_n.reste_a_charge - d_a.reste_a_charge}
    erreurs = _erreurs(attendu, ("secu_seule", {"economie": d_a.amo - d_n.amo}), ("ecart_base", {"economie": d_a.brss - d_n.brss}))
    enonce = (f"Le {_date_fr(jour)}, deux spécialistes de secteur 2 facturent chacun {_eur(h)} une consultation, dans le "
              f"parcours de soins ; l'un est adhérent à l'OPTAM, l'autre non. La complémentaire (contrat responsable) "
              f"rembourse {_pct(x)} de la BRSS chez les adhérents et {_pct(g.hors_dptam)} chez les autres, Sécu comprise. "
              f"De combien le reste à charge du patient baisse-t-il chez l'adhérent ?")
    expl = (f"Chez l'adhérent : {_lignes_decompte(d_a)} Chez le non-adhérent : {_lignes_decompte(d_n)} "
            f"Écart : {_eur(d_n.reste_a_charge)} − {_eur(d_a.reste_a_charge)} = {_eur(attendu['economie'])}.")
    return Question(n, "optam", typo(enonce), attendu, d_a, typo(expl), erreurs, (d_a, d_n))


def _q_hors_parcours(t: _Tirage, n: int) -> Question:
    jour = t.date_soins()
    spe = t.choix(("generaliste", "specialiste"))
    m = Medecin(secteur=1, specialite=spe)
    if spe == "generaliste":
        h = _base(m, jour, parcours=False)
    else:
        parcours = _base(m, jour)
        taux_da = parametre("depassement_autorise.taux", jour).valeur
        maximum = int((parcours * (CENT + taux_da) / CENT).to_integral_value(rounding=ROUND_CEILING))
        h = Decimal(t.entier(int(_base(m, jour, parcours=False)) + 2, maximum)).quantize(CENTIME)
    x = Decimal(t.choix((100, 150, 200)))
    g = Garantie(dptam=x, hors_dptam=_hors_dptam(x, jour), responsable=True)
    age = t.entier(25, 75)
    d = decompte(honoraires=h, date=jour, medecin=m, patient=Patient(age=age), garantie=g, parcours=False)
    attendu = {"amo": d.amo, "reste_a_charge": d.reste_a_charge}
    t_parcours = parametre("taux_amo.consultation", jour).valeur
    majoration = arrondi(d.brss * (t_parcours - d.taux) / CENT)
    base_parcours = _base(m, jour)
    erreurs = _erreurs(
        attendu,
        ("taux_parcours", {"amo": arrondi(d.brss * t_parcours / CENT) - d.participation_forfaitaire}),
        ("taux_parcours", {"amo": arrondi(base_parcours * t_parcours / CENT) - d.participation_forfaitaire}),
        ("majoration_remboursee", {"amo": d.amo, "reste_a_charge": d.reste_a_charge - majoration}),
        ("oubli_pf", {"amo": d.amo, "reste_a_charge": d.reste_a_charge - d.participation_forfaitaire}),
    )
    enonce = (f"Le {_date_fr(jour)}, un patient de {age} ans consulte {_medecin_txt(m)} sans passer par son "
              f"médecin traitant (hors parcours de soins) ; le médecin facture {_eur(h)}. Sa complémentaire, un contrat "
              f"responsable, rembourse {_pct(x)} de la BRSS, Sécu comprise. Combien rembourse la Sécurité sociale, et "
              f"combien reste-t-il au patient ?")
    expl = (f"Hors parcours, la Sécu rembourse {_pct(d.taux)} de la BRSS au lieu de {_pct(t_parcours)} : "
            f"{_lignes_decompte(d)} Un contrat responsable ne rembourse pas la majoration ({_eur(majoration)})"
            + (f", ni le dépassement autorisé ({_eur(d.depassement)})." if d.depassement else "."))
    return Question(n, "hors_parcours", typo(enonce), attendu, d, typo(expl), erreurs, (d,))


def _q_css(t: _Tirage, n: int) -> Question:
    jour = t.date_soins()
    m = t.choix((Medecin(secteur=1, specialite="generaliste"), Medecin(secteur=1, specialite="specialiste"),
                 Medecin(secteur=2, dptam="OPTAM", specialite="specialiste")))
    h = _base(m, jour)
    age = t.entier(25, 70)
    d = decompte(honoraires=h, date=jour, medecin=m, patient=Patient(age=age, css=True))
    attendu = {"amo": d.amo, "reste_a_charge": d.reste_a_charge}
    normal = _variante(d, patient=Patient(age=age), garantie=Garantie(dptam=100, hors_dptam=100, responsable=True))
    erreurs = _erreurs(attendu, ("css_pf", {"amo": normal.amo, "reste_a_charge": normal.reste_a_charge}),
                       ("css_pf", {"amo": normal.amo}))
    enonce = (f"Le {_date_fr(jour)}, un patient de {age} ans, bénéficiaire de la complémentaire santé solidaire (CSS), "
              f"consulte {_medecin_txt(m)} dans le parcours de soins ; le médecin lui applique le tarif opposable, "
              f"{_eur(h)}. Combien rembourse la Sécurité sociale, et combien reste-t-il au patient ?")
    expl = (f"Pas de participation forfaitaire pour un bénéficiaire de la CSS : la Sécu verse {_pct(d.taux)} × "
            f"{_eur(d.brss)} = {_eur(d.amo)} ; la CSS paie le ticket modérateur ({_eur(d.amc)}) ; reste à charge "
            f"{_eur(d.reste_a_charge)}.")
    return Question(n, "css", typo(enonce), attendu, d, typo(expl), erreurs, (d,))


def _q_libelle(t: _Tirage, n: int) -> Question:
    jour = t.date_soins()
    m = Medecin(secteur=2, dptam="OPTAM", specialite="specialiste")
    base = _base(m, jour)
    taux = parametre("taux_amo.consultation", jour).valeur
    h = _honoraires_au_dessus(t, base * 2, 5, 30)  # au-dessus de 200 % : aucun plafond de dépense ne masque l'erreur
    incluse = t.choix((True, False))
    if incluse:
        affiche = Decimal(t.choix((150, 175, 200)))
        niveau, niveau_faux = affiche, affiche + taux
        libelle = f"« Consultations, médecins adhérents OPTAM : {_pct(affiche)} BR, remboursement de la Sécurité sociale inclus »"
    else:
        affiche = Decimal(t.choix((50, 80, 100)))
        niveau, niveau_faux = affiche + taux, affiche
        libelle = f"« Consultations, médecins adhérents OPTAM : {_pct(affiche)} BR en plus du remboursement de la Sécurité sociale »"
    g = Garantie(dptam=niveau, hors_dptam=_hors_dptam(niveau, jour), responsable=True)
    d = decompte(honoraires=h, date=jour, medecin=m, patient=Patient(age=t.entier(25, 75)), garantie=g)
    faux = _variante(d, garantie=Garantie(dptam=niveau_faux, hors_dptam=_hors_dptam(niveau_faux, jour), responsable=True))
    attendu = {"amc": d.amc}
    erreurs = _erreurs(attendu, ("lecture_libelle", {"amc": faux.amc}), ("amo_net", {"amc": d.amc + d.participation_forfaitaire}))
    enonce = (f"Le tableau de garanties d'un client indique : {libelle}. Le {_date_fr(jour)}, {_medecin_txt(m)} lui "
              f"facture {_eur(h)}, dans le parcours de soins. Combien rembourse la complémentaire ?")
    lecture = (f"« {_pct(affiche)} BR Sécu incluse » = {_pct(niveau)} de la BRSS au total" if incluse else
               f"« {_pct(affiche)} BR en plus de la Sécu » = {_pct(taux)} + {_pct(affiche)} = {_pct(niveau)} de la BRSS au total")
    expl = f"{lecture} ; complémentaire = {_pct(niveau)} × {_eur(d.brss)} − {_eur(d.amo_brut)} = {_eur(d.amc)}."
    return Question(n, "libelle_garantie", typo(enonce), attendu, d, typo(expl), erreurs, (d,))


_GENERATEURS = (_q_base, _q_part_secu, _q_participation, _q_ticket, _q_complementaire, _q_reste, _q_optam,
                _q_hors_parcours, _q_css, _q_libelle)


# --- L'évaluation ------------------------------------------------------------------------------

def _maintenant() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _verifier_instant(valeur, champ: str) -> datetime:
    if not isinstance(valeur, datetime):
        raise ErreurSaisie(champ, f"{valeur!r} n'est pas une date et heure", "un datetime, par ex. datetime(2026, 3, 2, 9, 0)")
    return valeur if valeur.tzinfo else valeur.replace(tzinfo=UTC)


class Evaluation:
    """L'évaluation d'un stagiaire : ses questions, ses réponses, son score et sa durée.

    ``nom`` : le nom du stagiaire ; ``jour`` : le jour de l'évaluation ; ``graine`` (facultatif) : la
    graine du tirage, par défaut :func:`graine_de` (nom, jour) ; ``debut`` (facultatif) : l'heure de
    début (par défaut, maintenant).
    """

    def __init__(self, nom: str, jour: date, graine: int | None = None, debut: datetime | None = None):
        if not isinstance(nom, str) or not nom.strip():
            raise ErreurSaisie("nom", "le nom du stagiaire est vide", "un nom, par ex. « Camille Martin »")
        if not isinstance(jour, date) or isinstance(jour, datetime):
            raise ErreurSaisie("jour", f"{jour!r} n'est pas une date", "un objet datetime.date, par ex. date(2026, 3, 2)")
        if graine is not None and (isinstance(graine, bool) or not isinstance(graine, int)):
            raise ErreurSaisie("graine", f"{graine!r} n'est pas un nombre entier", "un entier, ou rien (graine tirée du nom et du jour)")
        self.nom = " ".join(nom.split())
        self.jour = jour
        self.graine = graine_de(self.nom, jour) if graine is None else graine
        self.debut = _maintenant() if debut is None else _verifier_instant(debut, "debut")
        self.fin: datetime | None = None
        tirage = _Tirage(self.graine, jour)
        self.questions: list[Question] = [g(tirage, i) for i, g in enumerate(_GENERATEURS)]
        self.resultats: dict[int, Resultat] = {}

    def __repr__(self) -> str:
        return f"Evaluation(nom={self.nom!r}, jour={self.jour!r}, questions={len(self.questions)}, score={self.score})"

    def repondre(self, numero: int, reponses: dict) -> Resultat:
        """Corrige une réponse (``{"amc": "13,80", "reste_a_charge": "22,25 €"}``) ; seule la première compte."""
        if isinstance(numero, bool) or not isinstance(numero, int) or not 0 <= numero < len(self.questions):
            raise ErreurSaisie("numero", f"{numero!r} n'est pas un numéro de question", f"un entier de 0 à {len(self.questions) - 1}")
        q = self.questions[numero]
        if not isinstance(reponses, dict):
            raise ErreurSaisie("reponses", f"{type(reponses).__name__} n'est pas un dictionnaire", "par ex. {\"reste_a_charge\": \"2,00\"}")
        inconnus = set(reponses) - set(q.attendu)
        if inconnus:
            raise ErreurSaisie("reponses", f"montant(s) non demandé(s) : {', '.join(sorted(inconnus))}", ", ".join(q.attendu))
        lues, illisibles = {}, []
        for k in q.attendu:
            try:
                lues[k] = lire_reponse(reponses.get(k), CHAMPS[k])
            except ErreurSaisie as e:
                illisibles.append(f"{CHAMPS[k]} : {e.message}")
        if illisibles:
            return Resultat(numero, None, typo("Réponse non lue — " + " ; ".join(illisibles)
                                              + ". Saisissez un montant en euros, par ex. 12,50."), compte=False)
        juste = all(_proche(lues[k], v) for k, v in q.attendu.items())
        erreur = None
        if not juste:
            for e in q.erreurs:
                if all(_proche(lues[k], v) for k, v in e.reponse.items()):
                    erreur = e.code
                    break
        message = self._message(q, juste, erreur, lues)
        deja = numero in self.resultats
        if deja:
            message = "Cette question a déjà reçu une réponse : seule la première compte. " + message
        r = Resultat(numero, juste, typo(message), erreur, lues, compte=not deja)
        if not deja:
            self.resultats[numero] = r
        return r

    @staticmethod
    def _message(q: Question, juste: bool, erreur: str | None, lues: dict[str, Decimal]) -> str:
        bonne = " ; ".join(f"{CHAMPS[k]} : {euros(v)}" for k, v in q.attendu.items())
        if juste:
            return f"Exact. {q.explication}"
        fausses = [k for k in q.attendu if not _proche(lues[k], q.attendu[k])]
        quoi = " ; ".join(f"{CHAMPS[k]} : vous avez répondu {euros(lues[k])}" for k in fausses)
        diagnostic = f" Erreur fréquente : {ERREURS[erreur]}" if erreur else ""
        return f"Pas tout à fait ({quoi}).{diagnostic} La bonne réponse — {bonne}. {q.explication}"

    @property
    def score(self) -> Decimal:
        """Le score sur 100 : la part des questions justes du premier coup (au centième)."""
        justes = sum(1 for r in self.resultats.values() if r.juste)
        return arrondi(Decimal(justes) * CENT / Decimal(len(self.questions)))

    @property
    def termine(self) -> bool:
        return len(self.resultats) == len(self.questions)

    def releve(self, fin: datetime | None = None) -> Releve:
        """Le relevé de l'évaluation (ce qui est enregistré, et ce que lit la commande du formateur)."""
        fin = self.fin if fin is None else fin
        questions = []
        for q in self.questions:
            r = self.resultats.get(q.numero)
            questions.append({
                "numero": q.numero + 1,
                "competence": q.competence,
                "enonce": q.enonce,
                "attendu": {k: str(v) for k, v in q.attendu.items()},
                "reponse": {k: str(v) for k, v in r.reponses.items()} if r and r.reponses else None,
                "juste": r.juste if r else None,
                "erreur": r.erreur if r else None,
            })
        return Releve(nom=self.nom, jour=self.jour, graine=self.graine, debut=self.debut, fin=fin, score=self.score,
                      questions=tuple(questions), modules=MODULES)

    def enregistrer(self, dossier, fin: datetime | None = None, attestation: bool = True) -> tuple[Path, ...]:
        """Écrit ``<date>_<nom>.json`` et l'attestation PDF ``<date>_<nom>.pdf`` dans ``dossier`` ; rend leurs chemins.

        ``fin`` : l'heure de fin (par défaut, maintenant). ``attestation=False`` : le JSON seul.
        L'attestation est mise en page par :mod:`reimb.presentation.attestation` (fpdf2), importé ici
        seulement : le reste de ce module ne dépend d'aucune présentation.
        """
        self.fin = _maintenant() if fin is None else _verifier_instant(fin, "fin")
        dossier = Path(dossier)
        dossier.mkdir(parents=True, exist_ok=True)
        releve = self.releve()
        chemin = dossier / f"{nom_de_fichier(self.nom, self.jour)}.json"
        chemin.write_text(json.dumps(releve.en_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if not attestation:
            return (chemin,)
        from .presentation.attestation import ecrire_attestation  # noqa: PLC0415 (le PDF est une présentation)

        pdf = ecrire_attestation(releve, chemin.with_suffix(".pdf"))
        return chemin, pdf

    @staticmethod
    def charger(chemin) -> Releve:
        """Relit un relevé enregistré (voir :func:`charger`)."""
        return charger(chemin)


# --- Le relevé (JSON) ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Releve:
    """Ce qui reste d'une évaluation : qui, quand, combien de temps, le score, chaque question."""

    nom: str
    jour: date
    graine: int
    debut: datetime
    fin: datetime | None
    score: Decimal
    questions: tuple[dict, ...]
    modules: tuple[str, ...] = MODULES
    competences_libelles: dict = field(default_factory=lambda: dict(COMPETENCES))

    @property
    def duree(self) -> timedelta | None:
        return None if self.fin is None else self.fin - self.debut

    @property
    def duree_texte(self) -> str:
        """« 42 min », « 1 h 05 min » ; « non mesurée » sans heure de fin."""
        d = self.duree
        if d is None:
            return "non mesurée"
        minutes = max(0, (int(d.total_seconds()) + 30) // 60)  # à la minute la plus proche, demi vers le haut
        h, m = divmod(minutes, 60)
        return f"{h}{_NBSP}h{_NBSP}{m:02d}{_NBSP}min" if h else f"{m}{_NBSP}min"

    def competences(self) -> dict[str, tuple[int, int]]:
        """Par compétence : (réponses justes, questions)."""
        resultat: dict[str, list[int]] = {}
        for q in self.questions:
            compte = resultat.setdefault(q["competence"], [0, 0])
            compte[1] += 1
            compte[0] += 1 if q["juste"] else 0
        return {k: (v[0], v[1]) for k, v in resultat.items()}

    def en_json(self) -> dict:
        return {
            "format": FORMAT,
            "nom": self.nom,
            "jour": self.jour.isoformat(),
            "graine": self.graine,
            "debut": self.debut.isoformat(),
            "fin": self.fin.isoformat() if self.fin else None,
            "duree_secondes": int(self.duree.total_seconds()) if self.duree is not None else None,
            "score": str(self.score),
            "modules": list(self.modules),
            "competences": {k: {"libelle": self.competences_libelles.get(k, k), "justes": j, "questions": n}
                            for k, (j, n) in self.competences().items()},
            "questions": list(self.questions),
        }


def charger(chemin) -> Releve:
    """Relit un relevé écrit par :meth:`Evaluation.enregistrer`."""
    chemin = Path(chemin)
    try:
        donnees = json.loads(chemin.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ErreurSaisie("chemin", f"{chemin.name} ne peut pas être lu ({e})", "un relevé JSON écrit par Evaluation.enregistrer") from None
    if not isinstance(donnees, dict) or donnees.get("format") != FORMAT:
        raise ErreurSaisie("chemin", f"{chemin.name} n'est pas un relevé d'évaluation", f"un fichier JSON au format {FORMAT}")
    libelles = {k: v.get("libelle", k) for k, v in donnees.get("competences", {}).items()}
    return Releve(
        nom=donnees["nom"], jour=date.fromisoformat(donnees["jour"]), graine=donnees["graine"],
        debut=datetime.fromisoformat(donnees["debut"]),
        fin=datetime.fromisoformat(donnees["fin"]) if donnees.get("fin") else None,
        score=Decimal(donnees["score"]), questions=tuple(donnees["questions"]), modules=tuple(donnees.get("modules", ())),
        competences_libelles={**COMPETENCES, **libelles},
    )


def erreurs_habituelles(d: Decompte) -> tuple[ErreurType, ...]:
    """Les mauvaises réponses habituelles à une question sur ce décompte, chacune calculée (pour les questions du
    cours comme pour l'évaluation) : participation forfaitaire oubliée, remboursement Sécu pris avant la
    participation, complémentaire qui déduit le remboursement Sécu net, honoraires pris pour la base, part de la
    complémentaire et reste à charge inversés."""
    pf = d.participation_forfaitaire
    attendu = {"amo": d.amo, "amc": d.amc, "reste_a_charge": d.reste_a_charge}
    candidates = []
    if pf:
        candidates.append(("avant_pf", {"amo": d.amo_brut}))
        candidates.append(("oubli_pf", {"reste_a_charge": d.reste_a_charge - pf}))
        if d.amc:
            candidates.append(("amo_net", {"amc": d.amc + pf, "reste_a_charge": d.reste_a_charge - pf}))
    if d.honoraires != d.brss:
        amo_sur_honoraires = arrondi(d.honoraires * d.taux / 100)
        candidates.append(("honoraires_base", {"amo": max(amo_sur_honoraires - pf, Decimal(0))}))
    if d.amc != d.reste_a_charge:
        candidates.append(("inversion", {"amc": d.reste_a_charge, "reste_a_charge": d.amc}))
    faux_vingt = _vingt_pour_cent(d)
    if faux_vingt is not None:
        candidates.append(("vingt_pour_cent", faux_vingt))
    return _erreurs(attendu, *candidates)


def _vingt_pour_cent(d: Decompte) -> dict[str, Decimal] | None:
    """Les montants obtenus en lisant l'écart minimal « 20 points de BRSS » (CSS art. R.871-2) comme « 20 % du niveau
    des adhérents », quand c'est cette limite qui plafonne la garantie d'un médecin non adhérent ; ``None`` sinon."""
    g = d.garantie
    if (g is None or not d.plafond_responsable_applique or d.medecin.ligne_dptam
            or not isinstance(g.dptam, Decimal) or not isinstance(d.niveau_applique, Decimal)):
        return None
    ecart = parametre("contrat_responsable.ecart_minimal_dptam", d.date).valeur
    if ecart is None or d.niveau_applique != g.dptam - ecart:
        return None
    niveau_faux = (g.dptam * (CENT - ecart) / CENT).quantize(Decimal("0.0001"))
    # Le même décompte, par le moteur, avec la ligne des non-adhérents lue à ce niveau faux.
    faux = _variante(d, garantie=Garantie(dptam=g.dptam, hors_dptam=niveau_faux, responsable=g.responsable))
    return {"amc": faux.amc, "reste_a_charge": faux.reste_a_charge}


def diagnostiquer(d: Decompte, reponses: dict[str, Decimal]) -> str | None:
    """Le code de l'erreur habituelle (voir :data:`ERREURS`) qui explique ces réponses fausses, ou ``None``.

    Une erreur est reconnue quand chaque montant répondu qu'elle prévoit est celui qu'elle donne (au centime près).
    """
    for erreur in erreurs_habituelles(d):
        communs = [k for k in erreur.reponse if k in reponses]
        if communs and all(_proche(reponses[k], erreur.reponse[k]) for k in communs):
            return erreur.code
    return None
