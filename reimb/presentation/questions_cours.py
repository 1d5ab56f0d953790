"""Les questions du cours, chacune définie une seule fois : énoncé, décompte, montants demandés, indice, explication.

Les modules du cours appellent ``questions_cours.question("01-q1")`` (l'exemple interactif de
:func:`reimb.presentation.widgets.question`, qui calcule la bonne réponse avec ``reimb.decompte``) ; le
corrigé du formateur est écrit à partir des mêmes définitions :

    python -m reimb.presentation.questions_cours --sortie docs/formateur/corrige_cours.md

Le stagiaire ne voit ni l'explication ni les montants attendus : l'indice s'affiche après une réponse
fausse, la correction quand il la demande.

>>> decompte("01-q1").amo
Decimal('14.10')
>>> [q.id for q in QUESTIONS][:3]
['00-q1', '01-q1', '01-q2']
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

from ..decompte import Decompte
from ..decompte import decompte as _decompte
from ..erreurs import ErreurSaisie
from ..modele import Garantie, Medecin, Patient
from .format import date_longue, euros
from .tableaux import COLONNES

NBSP = "\u00a0"


def _typo(texte: str) -> str:
    """Les espaces insécables de la typographie française (après « et avant », devant : ; ! ?), hors balises HTML."""
    morceaux = re.split(r"(<[^<>]*>)", texte)
    for i in range(0, len(morceaux), 2):  # les indices pairs sont hors balises
        t = morceaux[i]
        t = re.sub(r"«[ \t\n]*(?![\u00a0\u202f])", "«" + NBSP, t)
        t = re.sub(r"(?<![\u00a0\u202f])[ \t\n]*»", NBSP + "»", t)
        t = re.sub(r"(?<=\S)[ \t\n]+(?=[:;!?](?=\s|$|[»*_)\]\u00a0\u202f,.]))", NBSP, t)
        morceaux[i] = t
    return "".join(morceaux)


@dataclass(frozen=True)
class QuestionCours:
    """Une question du cours. ``arguments`` : les arguments de :func:`reimb.decompte` ; ``champs`` : les montants
    demandés (noms des attributs du décompte) ; ``enonce`` et ``indice`` : du HTML court, pour le stagiaire ;
    ``explication`` : du Markdown, pour le formateur."""

    id: str
    enonce: str
    arguments: Mapping = field(repr=False)
    champs: tuple[str, ...]
    indice: str
    explication: str

    def __post_init__(self):
        object.__setattr__(self, "arguments", MappingProxyType(dict(self.arguments)))
        for nom in ("enonce", "indice", "explication"):
            object.__setattr__(self, nom, _typo(getattr(self, nom)))

    @property
    def module(self) -> str:
        return self.id.split("-")[0]


MODULES = {
    "00": "00 — Bienvenue",
    "01": "01 — Les secteurs conventionnels",
    "02": "02 — Du CAS à l'OPTAM",
    "03": "03 — Le contrat responsable",
    "04": "04 — Cas pratiques",
}

# Les acteurs qui reviennent.
_2026 = date(2026, 3, 2)
_2016 = date(2016, 3, 1)
_SPE_CAS = Medecin(secteur=2, dptam="CAS", specialite="specialiste")
_SPE_OPTAM = Medecin(secteur=2, dptam="OPTAM", specialite="specialiste")
_SPE_NON_ADHERENT = Medecin(secteur=2, specialite="specialiste")
_GENERALISTE_S1 = Medecin(secteur=1, specialite="generaliste")
_MUTUELLE_100 = Garantie(dptam=100, hors_dptam=100, responsable=True)

# Les sources, citées par ce qu'elles sont et leur titre (jamais par un nom de fichier).
ARTICLE_2015 = "un article sur la réforme des contrats responsables de 2015"
PAGE_CAS = "la page d'un assureur sur le contrat d'accès aux soins"

QUESTIONS: tuple[QuestionCours, ...] = (
    # --- 00 — Bienvenue -----------------------------------------------------------------------
    QuestionCours(
        id="00-q1",
        enonce="<b>Question.</b> Spécialiste de secteur 2 adhérent au CAS, 50 €, le 1er mars 2016, dans le parcours de soins ; "
               "la mutuelle rembourse 125 % de la base. Combien verse la complémentaire, combien reste-t-il au patient ?",
        arguments=dict(honoraires="50", date=_2016, medecin=_SPE_CAS, patient=Patient(age=45),
                       garantie=Garantie(dptam=125, hors_dptam=125)),
        champs=("amc", "reste_a_charge"),
        indice="125 % de la base, Sécurité sociale comprise : le total Sécurité sociale + complémentaire est au plus "
               "125 % de la base, et la complémentaire déduit le remboursement de la Sécurité sociale <i>avant</i> "
               "participation forfaitaire.",
        explication=f"Source : {ARTICLE_2015}. Base du médecin adhérent au CAS : 28 € (CS + MPC + MCS). "
                    "Garantie : 125 % × 28 = 35 € au plus, Sécurité sociale comprise ; la Sécurité sociale rembourse "
                    "70 % × 28 = 19,60 € avant la participation forfaitaire de 1 € (18,60 € versés). "
                    "Complémentaire : 35 − 19,60 = **15,40 €** ; reste : 50 − 18,60 − 15,40 = **16 €**. "
                    "Les trois montants de l'article (18,60 €, 15,40 €, 16 €) sont justes.",
    ),
    # --- 01 — Les secteurs conventionnels ------------------------------------------------------
    QuestionCours(
        id="01-q1",
        enonce="<b>Question 1.</b> Le 2 mars 2026, une cliente de 45 ans, sans complémentaire, consulte dans le parcours "
               "de soins un spécialiste de secteur 2 <b>non adhérent</b> à l'OPTAM qui lui facture 60 €. "
               "Combien lui verse la Sécurité sociale ?",
        arguments=dict(honoraires="60", date=_2026, medecin=_SPE_NON_ADHERENT, patient=Patient(age=45)),
        champs=("amo",),
        indice="La Sécurité sociale rembourse 70 % de la base du non-adhérent (tableau des bases), moins la "
               "participation forfaitaire en vigueur.",
        explication="Le non-adhérent qui pratique un dépassement ne peut pas facturer les majorations : la base est la "
                    "CS seule, 23 €. Sécurité sociale : 70 % × 23 = 16,10 €, moins la participation forfaitaire de 2 € "
                    "= **14,10 €**. C'est le montant que donne homeprotection.fr pour un médecin non adhérent "
                    "(« 14,10 € », qu'il appelle à tort « base de remboursement » : c'est un remboursement). Erreur fréquente : prendre la base de l'adhérent (31,50 €), ou oublier la "
                    "participation forfaitaire (16,10 €).",
    ),
    QuestionCours(
        id="01-q2",
        enonce="<b>Question 2.</b> Même cliente, même jour, même prix, mais le spécialiste <b>adhère à l'OPTAM</b>. "
               "Combien lui verse la Sécurité sociale, et combien lui reste-t-il à payer ?",
        arguments=dict(honoraires="60", date=_2026, medecin=_SPE_OPTAM, patient=Patient(age=45)),
        champs=("amo", "reste_a_charge"),
        indice="Chez un adhérent, la base est celle du secteur 1 : la consultation du spécialiste avec ses majorations.",
        explication="Base de l'adhérent : 31,50 € (CS + MPC + MCS, inchangée le 1er janvier 2026 pour les spécialistes "
                    "sans consultation propre ; ameli, *Tarifs des médecins généralistes et spécialistes : ce qui a "
                    "changé le 22 décembre 2024*). Sécurité sociale : 70 % × 31,50 = 22,05 €, moins 2 € = **20,05 €** ; "
                    "reste : 60 − 20,05 = **39,95 €**. L'adhésion du médecin rapporte 20,05 − 14,10 = 5,95 € au "
                    "patient : 70 % de l'écart des bases (8,50 €).",
    ),
    QuestionCours(
        id="01-q3",
        enonce="<b>Question 3.</b> Le 2 mars 2026, un client de 45 ans, sans complémentaire, consulte sur orientation de son "
               "médecin traitant un <b>psychiatre de secteur 1</b>, qui facture le tarif de la consultation (lisez-le dans "
               "le tableau des spécialités). Combien lui verse la Sécurité sociale ?",
        arguments=dict(honoraires="57", date=_2026, medecin=Medecin(secteur=1, specialite="psychiatre"), patient=Patient(age=45)),
        champs=("amo",),
        indice="La consultation du psychiatre a changé le 1er janvier 2026 ; la Sécurité sociale rembourse 70 % de la base, "
               "moins la participation forfaitaire.",
        explication="Base du psychiatre en secteur 1 depuis le 1er janvier 2026 : **57 €** (55 € jusqu'au 31 décembre 2025 ; "
                    "la hausse prévue au 1er juillet 2025 a été reportée par le comité d'alerte de l'ONDAM ; "
                    "pourquoidocteur.fr, *Consultations médicales : ce que l'on paiera en 2026*). Sécurité sociale : "
                    "70 % × 57 = 39,90 €, moins 2 € = **37,90 €**. Erreur fréquente : prendre l'ancien tarif (55 € : "
                    "36,50 €) ou la date annoncée de juillet 2025.",
    ),
    # --- 02 — Du CAS à l'OPTAM ----------------------------------------------------------------
    QuestionCours(
        id="02-q1",
        enonce="<b>Question 1.</b> L'exemple du contrat d'accès aux soins (spécialiste de secteur 2, 40 €, 1er mars 2016), "
               "avec une mutuelle responsable à 100 % de la BRSS. Chez le médecin <b>non adhérent</b> au CAS : combien verse "
               "la mutuelle, et combien reste-t-il au patient ?",
        arguments=dict(honoraires="40", date=_2016, medecin=_SPE_NON_ADHERENT, patient=Patient(age=45),
                       garantie=Garantie(dptam=100, hors_dptam=100)),
        champs=("amc", "reste_a_charge"),
        indice="« 100 % » : la mutuelle paie le ticket modérateur, c'est-à-dire la base moins le remboursement de la "
               "Sécurité sociale avant participation forfaitaire.",
        explication=f"Source : {PAGE_CAS}. Base du non-adhérent : 23 €. Sécurité sociale : 70 % × 23 = 16,10 €, "
                    "moins 1 € de participation forfaitaire (2016) = 15,10 € — la page écrit 15,30 €, une erreur. "
                    "Mutuelle : 23 − 16,10 = **6,90 €** ; reste : 40 − 15,10 − 6,90 = **18 €**.",
    ),
    QuestionCours(
        id="02-q2",
        enonce="<b>Question 2.</b> Même consultation, même mutuelle, chez le médecin <b>adhérent</b> au CAS : "
               "combien reste-t-il au patient ?",
        arguments=dict(honoraires="40", date=_2016, medecin=_SPE_CAS, patient=Patient(age=45),
                       garantie=Garantie(dptam=100, hors_dptam=100)),
        champs=("reste_a_charge",),
        indice="Chez l'adhérent, la base est de 28 € : la Sécurité sociale et la mutuelle remboursent davantage.",
        explication=f"Source : {PAGE_CAS}. Base de l'adhérent : 28 €. Sécurité sociale : 70 % × 28 = 19,60 €, moins "
                    "1 € = 18,60 € (le montant de la page). Mutuelle : 28 − 19,60 = 8,40 € ; reste : 40 − 18,60 − 8,40 "
                    "= **13 €**. L'adhésion du médecin fait économiser 5 € au patient : exactement l'écart des deux "
                    "bases, puisque la mutuelle à 100 % complète la base.",
    ),
    # --- 03 — Le contrat responsable ----------------------------------------------------------
    QuestionCours(
        id="03-q1",
        enonce="<b>Question 1.</b> Le 2 mars 2026, un spécialiste de secteur 2 <b>non adhérent</b> à l'OPTAM facture "
               "<b>60 €</b> à un client de 45 ans, dans le parcours de soins. Son contrat responsable affiche 150 % de la "
               "BRSS pour tous les médecins. Combien verse la mutuelle, et combien reste-t-il au client ?",
        arguments=dict(honoraires="60", date=_2026, medecin=_SPE_NON_ADHERENT, patient=Patient(age=45),
                       garantie=Garantie(dptam=150, hors_dptam=150, responsable=True)),
        champs=("amc", "reste_a_charge"),
        indice="Chez un non-adhérent, un contrat responsable rembourse au moins 20 points de moins que chez les "
               "adhérents ; et ce plafond ne dépend pas des honoraires.",
        explication="Double limite : chez le non-adhérent, au plus 150 − 20 = 130 % de la BRSS (code de la Sécurité "
                    "sociale, art. R.871-2). Base : 23 €, donc 130 % × 23 = 29,90 € au plus, Sécurité sociale comprise. "
                    "Sécurité sociale : 70 % × 23 = 16,10 € avant la participation forfaitaire de 2 € (14,10 € versés). "
                    "Mutuelle : 29,90 − 16,10 = **13,80 €** ; reste : 60 − 14,10 − 13,80 = **32,10 €**. Erreurs "
                    "fréquentes : appliquer 150 % (mutuelle 18,40 €), ou lire les 20 points comme 20 % de 150 % "
                    "(120 %, mutuelle 11,50 €).",
    ),
    QuestionCours(
        id="03-q2",
        enonce="<b>Question 2.</b> Le 2 mars 2026, un client consulte un spécialiste de secteur 2 <b>non adhérent</b> qui "
               "facture 70 €. Son tableau de garanties affiche « 200 % » pour tous les médecins, mais l'assureur le gère "
               "comme un contrat responsable : il applique les plafonds de la loi. Combien lui verse la mutuelle ?",
        arguments=dict(honoraires="70", date=_2026, medecin=_SPE_NON_ADHERENT, patient=Patient(age=45),
                       garantie=Garantie(dptam=200, hors_dptam=200, responsable=True)),
        champs=("amc",),
        indice="Un contrat responsable rembourse les non-adhérents au moins 20 points sous les adhérents.",
        explication="Une ligne unique « 200 % pour tous » n'est pas conforme : depuis 2017, chez le non-adhérent, au "
                    "plus 200 % de la BRSS (dépassement remboursé jusqu'à 100 % de la base) et au moins 20 points sous "
                    "la ligne des adhérents, donc 200 − 20 = 180 %. 180 % × 23 = 41,40 € au plus ; mutuelle : "
                    "41,40 − 16,10 = **25,30 €**. À dire au client : un contrat vendu comme responsable avec ce tableau "
                    "est mal rédigé ; c'est la ligne des non-adhérents qui doit être corrigée.",
    ),
    QuestionCours(
        id="03-q3",
        enonce="<b>Question 3 (histoire).</b> Le 1er mars 2016, l'hypothèse n° 2 de l'article sur la réforme de 2015 "
               "(spécialiste de secteur 2 non adhérent au CAS, garantie 150 % pour tous les médecins, contrat "
               "responsable), mais le médecin facture <b>60 €</b>. Combien verse la mutuelle, et combien reste-t-il au "
               "patient ?",
        arguments=dict(honoraires="60", date=_2016, medecin=_SPE_NON_ADHERENT, patient=Patient(age=45),
                       garantie=Garantie(dptam=150, hors_dptam=150)),
        champs=("amc", "reste_a_charge"),
        indice="Le plafond (130 %) ne dépend pas des honoraires ; en 2016, la participation forfaitaire était de 1 €.",
        explication=f"Source : {ARTICLE_2015}, hypothèse n° 2. Le plafond reste 130 % × 23 = 29,90 €. Mutuelle : "
                    "29,90 − 16,10 = **13,80 €** ; reste : 60 − 15,10 − 13,80 = **31,10 €** (participation forfaitaire "
                    "de 1 € en 2016, 2 € en 2026 : d'où 1 € d'écart avec la question 1).",
    ),
    # --- 04 — Cas pratiques -------------------------------------------------------------------
    QuestionCours(
        id="04-cas1",
        enonce="<b>Cas 1.</b> Hors parcours de soins, généraliste de secteur 1, 30 €, le 2 mars 2026, mutuelle "
               "responsable à 100 %.",
        arguments=dict(honoraires="30", date=_2026, medecin=_GENERALISTE_S1, patient=Patient(age=40),
                       garantie=_MUTUELLE_100, parcours=False),
        champs=("amo", "amc", "reste_a_charge"),
        indice="Hors parcours, le taux de la Sécurité sociale baisse, et un contrat responsable n'a pas le droit de "
               "rembourser cette baisse (la « majoration du ticket modérateur »).",
        explication="Hors parcours, la Sécurité sociale rembourse 30 % au lieu de 70 % : 30 % × 30 = 9 €, moins 2 € de "
                    "participation forfaitaire = **7 €**. Les 40 points perdus (40 % × 30 = 12 €) sont la majoration "
                    "du ticket modérateur : un contrat responsable ne la rembourse pas (code de la Sécurité sociale, "
                    "art. R.871-1). La mutuelle à 100 % paie le ticket modérateur ordinaire : 30 − 9 − 12 = **9 €**. "
                    "Reste : 30 − 7 − 9 = **14 €** (12 € de majoration et 2 € de participation forfaitaire). "
                    "Conseil au client : déclarer un médecin traitant.",
    ),
    QuestionCours(
        id="04-cas2",
        enonce="<b>Cas 2.</b> Bénéficiaire de la CSS, généraliste de secteur 1 (son médecin traitant), 30 €, le 2 mars "
               "2026. (La CSS tient lieu de complémentaire : sa part se saisit dans la case « Complémentaire ».)",
        arguments=dict(honoraires="30", date=_2026, medecin=_GENERALISTE_S1, patient=Patient(age=35, css=True)),
        champs=("amo", "amc", "reste_a_charge"),
        indice="Un bénéficiaire de la CSS ne paie pas la participation forfaitaire, et la CSS prend le ticket modérateur.",
        explication="Sécurité sociale : 70 % × 30 = **21 €**, sans participation forfaitaire (les bénéficiaires de la "
                    "complémentaire santé solidaire en sont exonérés). La CSS paie le ticket modérateur : **9 €**. "
                    "Reste : **0 €** ; en pratique, le patient n'avance rien (tiers payant). Le médecin n'a pas le "
                    "droit de lui facturer un dépassement.",
    ),
    QuestionCours(
        id="04-cas3",
        enonce="<b>Cas 3.</b> Enfant de 10 ans, généraliste de secteur 1 qui n'est pas son médecin traitant, 30 €, le "
               "2 mars 2026, mutuelle responsable à 100 %.",
        arguments=dict(honoraires="30", date=_2026, medecin=_GENERALISTE_S1, patient=Patient(age=10),
                       garantie=_MUTUELLE_100, parcours=False),
        champs=("amo", "reste_a_charge"),
        indice="Deux règles d'âge : le parcours de soins (et sa pénalité) ne s'applique qu'à partir de 16 ans ; "
               "la participation forfaitaire, qu'à partir de 18 ans.",
        explication="Moins de 16 ans : pas de parcours de soins, donc pas de pénalité (service-public.fr, fiche F17042). "
                    "Moins de 18 ans : pas de participation forfaitaire. Sécurité sociale : 70 % × 30 = **21 €** ; "
                    "mutuelle : le ticket modérateur, 9 € ; reste : **0 €**.",
    ),
    QuestionCours(
        id="04-cas4",
        enonce="<b>Cas 4.</b> Patient de 60 ans en ALD, soins liés à l'ALD, chez son médecin traitant (généraliste de "
               "secteur 1), 30 €, le 2 mars 2026, sans complémentaire.",
        arguments=dict(honoraires="30", date=_2026, medecin=_GENERALISTE_S1, patient=Patient(age=60, ald=True)),
        champs=("amo", "reste_a_charge"),
        indice="« 100 % » porte sur la BRSS : l'ALD supprime le ticket modérateur, pas la participation forfaitaire.",
        explication="En ALD, la Sécurité sociale rembourse 100 % de la base pour les soins liés à l'affection "
                    "(service-public.fr, fiche F164) : 100 % × 30 = 30 €, moins 2 € de participation forfaitaire = "
                    "**28 €**. Reste : **2 €** : l'ALD n'exonère pas de la participation forfaitaire (ni des "
                    "dépassements).",
    ),
    QuestionCours(
        id="04-cas5",
        enonce="<b>Cas 5.</b> Généraliste non conventionné, 60 €, le 2 mars 2026, patiente de 50 ans sans complémentaire.",
        arguments=dict(honoraires="60", date=_2026, medecin=Medecin(secteur=3), patient=Patient(age=50)),
        champs=("brss", "amo", "reste_a_charge"),
        indice="La base est le tarif d'autorité (module 01) ; le remboursement ne peut pas devenir négatif.",
        explication="Base : le tarif d'autorité du généraliste, **0,61 €** (arrêté du 1er décembre 2006). Sécurité "
                    "sociale : 70 % × 0,61 = 0,427, arrondi à 0,43 € ; la participation forfaitaire (2 €) est plus "
                    "grande : le cours verse **0 €** et reporte le reste de la participation (1,57 €) sur un "
                    "remboursement suivant. Reste : **60 €**. Pour le formateur : une page grand public dit au "
                    "contraire que la participation n'est pas retenue dans ce cas ; aucun texte officiel lu ne "
                    "tranche. Dans les deux lectures, le patient reçoit moins de 0,50 € : c'est l'essentiel à retenir.",
    ),
    QuestionCours(
        id="04-cas6a",
        enonce="<b>Cas 6 a (2024).</b> Médecin traitant, généraliste de secteur 1, 26,50 €, le 10 mars 2024, mutuelle "
               "responsable à 100 % : combien verse la Sécurité sociale ?",
        arguments=dict(honoraires="26.50", date=date(2024, 3, 10), medecin=_GENERALISTE_S1, patient=Patient(age=50),
                       garantie=_MUTUELLE_100),
        champs=("amo",),
        indice="La consultation du généraliste était à 26,50 € ; regardez la participation forfaitaire à cette date.",
        explication="70 % × 26,50 = 18,55 €, moins la participation forfaitaire de 1 € (avant le 15 mai 2024) = "
                    "**17,55 €**. Le ticket modérateur (7,95 €) est payé par la mutuelle ; reste 1 €.",
    ),
    QuestionCours(
        id="04-cas6b",
        enonce="<b>Cas 6 b (2024).</b> La même consultation le 10 juin 2024 : combien verse la Sécurité sociale ?",
        arguments=dict(honoraires="26.50", date=date(2024, 6, 10), medecin=_GENERALISTE_S1, patient=Patient(age=50),
                       garantie=_MUTUELLE_100),
        champs=("amo",),
        indice="Regardez le tableau de la participation forfaitaire : qu'a-t-il changé le 15 mai 2024 ?",
        explication="La participation forfaitaire passe à 2 € le 15 mai 2024 (décret n° 2024-113 du 16 février 2024) : "
                    "18,55 − 2 = **16,55 €**. La mutuelle paie toujours 7,95 € ; le reste passe de 1 € à 2 €. "
                    "Erreur fréquente sur le web : « 16,55 € après déduction de la participation forfaitaire de 1 € » "
                    "(avec 1 €, c'est 17,55 €).",
    ),
    QuestionCours(
        id="04-cas7",
        enonce="<b>Cas 7.</b> Le 2 mars 2026, une cliente de 32 ans, enceinte de sept mois, consulte une gynécologue de "
               "secteur 2 <b>adhérente à l'OPTAM</b> (en accès direct, sans passer par son médecin traitant), qui lui facture 50 €. Sa mutuelle, "
               "responsable, rembourse 100 % de la BRSS. Combien versent la Sécurité sociale et la mutuelle, et combien "
               "lui reste-t-il à payer ?",
        arguments=dict(honoraires="50", date=_2026, medecin=Medecin(secteur=2, dptam="OPTAM", specialite="gynecologue"),
                       patient=Patient(age=32, maternite=True), garantie=_MUTUELLE_100),
        champs=("amo", "amc", "reste_a_charge"),
        indice="À partir du 6e mois de grossesse, l'assurance maternité rembourse 100 % de la base, sans participation "
               "forfaitaire ; mais « 100 % » ne couvre pas le dépassement.",
        explication="Base : la consultation de gynécologie médicale en 2026, **40 €** (convention médicale de 2024, hausse "
                    "reportée au 1er janvier 2026 ; pourquoidocteur.fr, *Consultations médicales : ce que l'on paiera en "
                    "2026*). Assurance maternité "
                    "(du 1er jour du 6e mois de grossesse à 12 jours après l'accouchement) : la Sécurité sociale "
                    "rembourse 100 % de la base et ne retient pas de participation forfaitaire : **40 €**. "
                    "Ticket modérateur : 0 € ; une mutuelle à 100 % de la BRSS n'a donc rien à payer : **0 €**. "
                    "Reste : le dépassement, **10 €**. Avec une garantie à 150 %, la mutuelle aurait payé "
                    "60 − 40 = 20 € au plus, donc les 10 € du dépassement.",
    ),
)

_PAR_ID = {q.id: q for q in QUESTIONS}


def definition(id: str) -> QuestionCours:
    """La définition d'une question, par son identifiant (``"01-q1"``)."""
    try:
        return _PAR_ID[id]
    except KeyError:
        raise ErreurSaisie("question", f"{id!r} n'est pas une question du cours", ", ".join(_PAR_ID)) from None


def decompte(id: str) -> Decompte:
    """Le décompte de la question : c'est lui qui donne les bonnes réponses."""
    return _decompte(**definition(id).arguments)


def question(id: str):
    """L'exemple interactif de la question : une case par montant, « Vérifier », l'indice après une réponse fausse."""
    from . import widgets  # ipywidgets n'est chargé qu'ici

    q = definition(id)
    return widgets.question(q.enonce, decompte(id), champs=q.champs, indice=q.indice)


# --- Le corrigé du formateur --------------------------------------------------------------------

def _markdown(html: str) -> str:
    texte = re.sub(r"</?b>", "**", html)
    texte = re.sub(r"</?i>", "*", texte)
    return re.sub(r"<[^<>]*>", "", texte)


def corrige() -> str:
    """Le corrigé de toutes les questions du cours, en Markdown : les montants calculés par ``reimb``, l'explication."""
    lignes = [
        "# Corrigé des questions du cours (pour le formateur)",
        "",
        _typo("Ce document est produit par `python -m reimb.presentation.questions_cours --sortie "
              "docs/formateur/corrige_cours.md` à partir des définitions des questions (module "
              "`reimb/presentation/questions_cours.py`) : ne le modifiez pas à la main. Les montants sont calculés "
              "par la bibliothèque du cours ; les stagiaires ne voient ni ce document ni les explications, seulement "
              "l'indice après une réponse fausse et la correction quand ils la demandent."),
        "",
    ]
    module = None
    for q in QUESTIONS:
        if q.module != module:
            module = q.module
            lignes += [f"## Module {MODULES[module]}", ""]
        d = decompte(q.id)
        lignes += [f"### {q.id}", "", _typo(_markdown(q.enonce)), ""]
        lignes += [_typo(f"**Réponse{'s' if len(q.champs) > 1 else ''}** (soins du {date_longue(d.date)}) :"), ""]
        lignes += [_typo(f"- {COLONNES.get(c, c)} : **{euros(getattr(d, c))}**") for c in q.champs]
        lignes += ["", f"**Explication.** {q.explication}", "", _typo(f"*Indice montré au stagiaire après une réponse fausse :* {_markdown(q.indice)}"), ""]
    return "\n".join(lignes)


def main(argv: list[str] | None = None) -> int:
    analyse = argparse.ArgumentParser(description="Écrit le corrigé des questions du cours (Markdown).")
    analyse.add_argument("--sortie", type=Path, help="fichier à écrire (par défaut : la sortie standard)")
    args = analyse.parse_args(argv)
    texte = corrige()
    if args.sortie:
        args.sortie.parent.mkdir(parents=True, exist_ok=True)
        args.sortie.write_text(texte, encoding="utf-8")
    else:
        print(texte)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
