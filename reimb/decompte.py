"""Le moteur : le décompte exact d'une consultation, étape par étape, chaque étape citant sa règle.

Conventions (domain-facts, « Worked examples ») :

- ``amo_brut = arrondi(taux × BRSS)`` ; ``amo = amo_brut − participation forfaitaire`` (jamais < 0 :
  le reliquat est « reporté » sur un remboursement ultérieur — choix du projet, calqué sur le tiers
  payant (D.322-3) ; le cas n'est pas établi, une source dit que la participation n'est alors pas
  appliquée : domain-facts §9) ;
- garantie « X % BRSS » (Sécu comprise) : ``amc = min(honoraires, X % × BRSS) − amo_brut``, jamais
  négative ; la participation forfaitaire reste donc au patient ;
- ``reste_a_charge = honoraires − amo − amc`` : les trois parts s'additionnent exactement aux honoraires.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal

from . import tarifs
from .erreurs import ErreurSaisie
from .modele import FRAIS_REELS, Garantie, Medecin, Patient
from .montants import CENT, ZERO, arrondi, en_decimal, euros, montant, montant_court
from .montants import taux_court as _pct
from .parametres import parametre, verifier_date
from .responsable import plafond_hors_dptam_detail

PARCOURS = "CSS art. L.162-5-3 (parcours de soins coordonnés)"


@dataclass(frozen=True, slots=True)
class Etape:
    """Une étape du décompte : ce qui est calculé, le montant, la règle appliquée et sa source."""

    libelle: str
    montant: Decimal | None
    regle: str
    source: str


@dataclass(frozen=True, slots=True)
class Decompte:
    """Le résultat : les montants (``Decimal`` au centime) et les étapes qui les expliquent."""

    date: Date
    honoraires: Decimal
    brss: Decimal
    taux: Decimal
    amo_brut: Decimal
    participation_forfaitaire: Decimal
    participation_forfaitaire_reportee: Decimal
    amo: Decimal
    ticket_moderateur: Decimal
    depassement: Decimal
    amc: Decimal
    reste_a_charge: Decimal
    etapes: tuple[Etape, ...]
    medecin: Medecin
    patient: Patient
    garantie: Garantie | None
    parcours: bool
    niveau_applique: Decimal | str | None = None
    plafond_responsable_applique: bool = False

    @property
    def base(self) -> Decimal:  # alias lisible
        return self.brss



def _eur(d: Decimal) -> str:
    """Un montant dans le texte d'une étape (« 33 € », « 31,50 € ») sans passer par Babel (chemin chaud)."""
    return montant_court(d) + "\u00a0€"


def _taux(patient: Patient, parcours: bool, jour: Date) -> tuple[Decimal, Decimal, Etape]:
    """(taux appliqué, taux du parcours, étape)."""
    normal = parametre("taux_amo.consultation", jour)
    if not parcours:
        v = parametre("taux_amo.hors_parcours", jour)
        regle = f"{_pct(v.valeur)} % de la BRSS : ticket modérateur majoré de {_pct(normal.valeur - v.valeur)} points"
        reference = v.reference
        if patient.ald or patient.maternite:
            # L'exonération ALD vaut pour les soins du protocole, dans le parcours (previssima.fr,
            # « Quel parcours de soins en maladies chroniques (ALD) ? ») ; pour la maternité hors
            # parcours, le projet applique la même règle, faute de source contraire (à vérifier).
            regle += " — l'exonération (ALD, maternité) suppose le parcours de soins"
            reference += " ; previssima.fr (ALD : 100 % dans le parcours) — maternité : à vérifier"
        return v.valeur, normal.valeur, Etape("Taux de remboursement Sécu hors parcours", None, regle, reference)
    if patient.ald or patient.maternite:
        v = parametre("taux_amo.exoneration", jour)
        motif = "affection de longue durée" if patient.ald else "assurance maternité"
        return v.valeur, v.valeur, Etape(f"Taux de remboursement Sécu ({motif})", None, f"{_pct(v.valeur)} % de la BRSS : exonération du ticket modérateur", v.reference)
    return normal.valeur, normal.valeur, Etape("Taux de remboursement Sécu", None, f"{_pct(normal.valeur)} % de la BRSS dans le parcours de soins", normal.reference)


def decompte(
    honoraires,
    date: Date,
    medecin: Medecin,
    brss=None,
    patient: Patient | None = None,
    garantie: Garantie | None = None,
    parcours: bool = True,
    acte: str = "consultation",
    taux=None,
) -> Decompte:
    """Le décompte d'une consultation : ce que paient la Sécu (AMO), la complémentaire (AMC) et le patient.

    ``honoraires`` et ``brss`` : montants en euros (``str``, ``int``, ``Decimal`` ou ``float``) ;
    ``brss`` omis : la base est lue dans la table des tarifs pour ce médecin et cette date.
    ``taux`` : taux AMO en % pour un acte hors table (par défaut, celui des consultations).
    Toute saisie impossible lève une :class:`ErreurSaisie` en français.
    """
    etapes: list[Etape] = []
    ajout = etapes.append

    # --- Saisie -------------------------------------------------------------------------------
    verifier_date(date)
    if not isinstance(medecin, Medecin):
        raise ErreurSaisie("medecin", f"{type(medecin).__name__} n'est pas un Medecin", "reimb.Medecin(secteur=…)")
    if patient is None:
        patient = Patient()
    elif not isinstance(patient, Patient):
        raise ErreurSaisie("patient", f"{type(patient).__name__} n'est pas un Patient", "reimb.Patient(age=…) ou None")
    if garantie is not None and not isinstance(garantie, Garantie):
        raise ErreurSaisie("garantie", f"{type(garantie).__name__} n'est pas une Garantie", "reimb.Garantie(…) ou None (pas de complémentaire)")
    if not isinstance(parcours, bool):
        raise ErreurSaisie("parcours", f"{parcours!r} n'est pas un booléen", "True (parcours de soins) ou False")
    if not isinstance(acte, str) or acte not in tarifs.ACTES:
        # Vérifié même quand la base est donnée : un acte inconnu ne doit pas passer pour une consultation.
        raise ErreurSaisie("acte", f"{acte!r} n'est pas un acte connu du moteur", ", ".join(repr(a) for a in tarifs.ACTES))
    honoraires = montant(honoraires, "honoraires")
    ajout(Etape("Honoraires facturés", honoraires, medecin.libelle, "Saisie"))
    dispositif = tarifs.verifier_dptam(medecin, date)
    if dispositif:
        ajout(Etape(f"Médecin adhérent : {medecin.dptam}", None, *dispositif))

    # --- Parcours de soins ---------------------------------------------------------------------
    parcours_effectif = parcours
    if not parcours:
        age_min = parametre("taux_amo.age_hors_parcours", date)
        if patient.age < age_min.valeur:
            parcours_effectif = True
            ajout(Etape("Parcours de soins", None, f"patient de moins de {age_min.valeur} ans : pas de majoration hors parcours", age_min.reference))

    # --- Base de remboursement -----------------------------------------------------------------
    base_saisie = brss is not None
    if brss is None:
        base = tarifs.brss(acte, medecin, date, parcours_effectif, honoraires=honoraires, age=patient.age)
        brss = base.valeur
        regle = f"{base.detail} ({tarifs.CATEGORIES[base.categorie]})"
        if base.a_verifier:
            regle += f" — à vérifier : {base.a_verifier}"
        ajout(Etape("Base de remboursement (BRSS)", brss, regle, base.reference))
    else:
        brss = montant(brss, "brss", positif_strict=True)
        ajout(Etape("Base de remboursement (BRSS)", brss, "base donnée par l'utilisateur", "Saisie"))
    if honoraires < brss:
        raise ErreurSaisie(
            "honoraires",
            f"{euros(honoraires)} est inférieur à la base de remboursement ({euros(brss)}) : un médecin facture au moins la base",
            f"des honoraires ≥ {euros(brss)}",
        )
    depassement = honoraires - brss

    # --- Dépassement : qui peut le facturer ------------------------------------------------------
    da_max = ZERO
    if depassement:
        if patient.css and medecin.conventionne:
            raise ErreurSaisie(
                "honoraires",
                f"dépassement de {euros(depassement)} facturé à un patient bénéficiaire de la CSS : "
                "les médecins conventionnés lui appliquent les tarifs opposables",
                f"des honoraires égaux à la base ({euros(brss)}) pour un patient CSS",
            )
        if not medecin.peut_depasser:
            if parcours_effectif:
                raise ErreurSaisie(
                    "honoraires",
                    f"un médecin de secteur 1 facture le tarif opposable ({euros(brss)}) dans le parcours de soins, pas {euros(honoraires)}",
                    f"des honoraires de {euros(brss)} ; un dépassement seulement en secteur 2 ou en secteur 1 avec droit permanent à dépassement",
                )
            if medecin.specialite == "generaliste":
                raise ErreurSaisie(
                    "honoraires",
                    "le dépassement autorisé hors parcours est réservé aux spécialistes de secteur 1",
                    f"des honoraires de {euros(brss)} pour un généraliste de secteur 1",
                )
    if not parcours_effectif:
        da = parametre("depassement_autorise.taux", date)
        # Convention médicale, art. 37.1 : « arrondi à l'euro supérieur, le montant facturé n'excède pas
        # de plus de 17,5 % la valeur des tarifs applicables dans le parcours de soins coordonnés ».
        # La référence est donc le tarif *du parcours* (CS + MPC + MCS = 28 € en 2016 → 33 €), pas la
        # base hors parcours (CS + MPC = 25 €) : domain-facts §4.3, 28 × 1,175 = 32,90 → 33 €.
        if base_saisie:
            # Une base saisie qui est celle de la table (hors parcours ou parcours) désigne cet acte : le
            # tarif du parcours est alors celui de la table. Sinon, la base saisie en tient lieu.
            try:
                t_parcours = tarifs.brss(acte, medecin, date, True, age=patient.age).valeur
                t_hors = tarifs.brss(acte, medecin, date, False, age=patient.age).valeur
            except ErreurSaisie:
                t_parcours = t_hors = None
            if t_parcours is not None and brss in (t_parcours, t_hors):
                tarif_parcours = t_parcours
                reference_txt = f"tarif du parcours de soins : {_eur(tarif_parcours)} (la base saisie est celle de la table)"
            else:
                tarif_parcours = brss
                reference_txt = f"la base saisie, {_eur(brss)}, tient lieu de tarif du parcours"
        else:
            tarif_parcours = tarifs.brss(acte, medecin, date, True, age=patient.age).valeur
            reference_txt = f"tarif du parcours de soins : {_eur(tarif_parcours)}"
        maximum = Decimal(math.ceil(tarif_parcours * (CENT + da.valeur) / CENT))
        # Le DA est une faculté des spécialistes conventionnés (art. 37.1) : pour un généraliste ou un
        # médecin non conventionné, il n'y a pas de « montant du DA » à exclure (R.871-1).
        da_max = max(maximum - brss, ZERO) if medecin.conventionne and medecin.specialite != "generaliste" else ZERO
        if not medecin.peut_depasser and depassement:
            if honoraires > maximum:
                raise ErreurSaisie(
                    "honoraires",
                    f"hors parcours, un spécialiste de secteur 1 facture au plus le tarif du parcours de soins "
                    f"({euros(tarif_parcours)}) majoré de {_pct(da.valeur)} % et arrondi à l'euro supérieur, soit {euros(maximum)}",
                    f"des honoraires de {euros(brss)} à {euros(maximum)}",
                )
            ajout(Etape(
                "Dépassement autorisé (DA) hors parcours", depassement,
                f"montant facturé au plus {_pct(da.valeur)} % au-dessus du tarif du parcours, arrondi à l'euro supérieur : "
                f"{_eur(maximum)} ({reference_txt})",
                da.reference,
            ))
    if depassement and not (not medecin.peut_depasser and not parcours_effectif):
        ajout(Etape("Dépassement d'honoraires", depassement, "honoraires − BRSS : jamais remboursé par la Sécurité sociale", "CSS art. L.162-5 ; convention médicale"))

    # --- Assurance maladie obligatoire ---------------------------------------------------------
    if taux is not None:
        t = en_decimal(taux, "taux")
        if not ZERO <= t <= CENT:
            raise ErreurSaisie("taux", f"un taux de {t} % est impossible", "un pourcentage de 0 à 100")
        t_normal = t
        ajout(Etape("Taux de remboursement Sécu", None, f"{_pct(t)} % de la BRSS (taux donné par l'utilisateur)", "Saisie"))
    else:
        t, t_normal, e = _taux(patient, parcours_effectif, date)
        ajout(e)
    amo_brut = arrondi(brss * t / CENT)
    ajout(Etape("Remboursement Sécu avant participation forfaitaire", amo_brut, f"{_pct(t)} % × BRSS, arrondi au centime", "Règle d'arrondi du projet : aucune règle officielle trouvée (fiche de faits §9)"))
    ticket_moderateur = brss - amo_brut
    majoration = ZERO
    if t < t_normal:
        majoration = arrondi(brss * (t_normal - t) / CENT)
    ajout(Etape("Ticket modérateur", ticket_moderateur, "BRSS − remboursement Sécu" + (f", dont majoration hors parcours {_pct(t_normal - t)} points" if majoration else ""), PARCOURS if majoration else "CSS art. L.160-13 I"))

    pf_param = parametre("participation_forfaitaire.montant", date)
    age_pf = parametre("participation_forfaitaire.age_exoneration", date)
    if patient.age < age_pf.valeur or patient.css or patient.maternite:
        motif = "moins de 18 ans" if patient.age < age_pf.valeur else ("bénéficiaire de la CSS" if patient.css else "assurance maternité")
        pf = ZERO
        ajout(Etape("Participation forfaitaire", ZERO, f"exonération : {motif}", age_pf.reference))
    else:
        pf = pf_param.valeur
        ajout(Etape("Participation forfaitaire", pf, "montant par consultation, retenu sur le remboursement Sécu", pf_param.reference))
    pf_retenue = min(pf, amo_brut)
    pf_reportee = pf - pf_retenue
    if pf_reportee:
        ajout(Etape("Participation forfaitaire reportée", pf_reportee, "le remboursement Sécu ne suffit pas : le reliquat sera retenu sur un remboursement ultérieur (choix du projet, cas non établi : il n'est pas compté dans le reste à charge de cette consultation)", "Par analogie avec le tiers payant : décret n° 2004-1453, art. D.322-3 CSS ; fiche de faits §9 (cas limite, à vérifier)"))
    amo = amo_brut - pf_retenue
    ajout(Etape("Remboursement Sécu (AMO)", amo, "remboursement avant participation − participation forfaitaire retenue", pf_param.reference))

    # --- Complémentaire -----------------------------------------------------------------------
    niveau_applique = None
    plafonne = False
    if patient.css:
        amc = ticket_moderateur
        ajout(Etape(
            "Complémentaire santé solidaire (CSS)", amc,
            "la CSS tient lieu de complémentaire : elle paie le ticket modérateur" + (" ; la garantie saisie n'intervient pas" if garantie else ""),
            "CSS art. L.861-3 ; complementaire-sante-solidaire.gouv.fr" + (" — hors parcours, la prise en charge de la majoration par la CSS est à vérifier" if majoration else ""),
        ))
    elif garantie is None:
        amc = ZERO
        ajout(Etape("Complémentaire (AMC)", ZERO, "pas de complémentaire", "Saisie"))
    else:
        niv = garantie.niveau_pour(medecin)
        ligne = "médecins adhérents DPTAM / secteur 1" if medecin.ligne_dptam else "médecins non adhérents DPTAM"
        niveau_applique = niv
        if garantie.responsable and not medecin.ligne_dptam:
            plafond = plafond_hors_dptam_detail(garantie.dptam, date)
            if plafond.niveau is not None and (niv == FRAIS_REELS or niv > plafond.niveau):
                niveau_applique = plafond.niveau
                plafonne = True
                ajout(Etape(
                    "Plafond du contrat responsable", arrondi(brss * plafond.niveau / CENT),
                    f"niveau {niv if niv == FRAIS_REELS else _pct(niv) + ' %'} ramené à {_pct(plafond.niveau)} % de la BRSS — {plafond.regle} ; "
                    "un contrat qui annonce davantage n'est pas conforme à R.871-2 (voir le contrôle de conformité)",
                    plafond.reference,
                ))
        if niveau_applique == FRAIS_REELS:
            garanti = honoraires
            regle = f"garantie « frais réels » ({ligne})"
        else:
            garanti = arrondi(brss * niveau_applique / CENT)
            regle = f"garantie {_pct(niveau_applique)} % de la BRSS, Sécu comprise ({ligne})"
        ajout(Etape("Montant garanti (Sécu + complémentaire)", garanti, regle, "Tableau de garanties"))
        couvert = garanti
        if garanti > honoraires:
            couvert = honoraires
            ajout(Etape(
                "Principe indemnitaire", honoraires,
                "le remboursement total ne peut dépasser la dépense : la garantie est limitée aux honoraires",
                "Loi n° 89-1009 du 31 décembre 1989 (loi Évin), art. 9 ; fiche de faits §8 (texte non encore lu sur Légifrance, à vérifier)",
            ))
        exclu = ZERO
        if garantie.responsable and not parcours_effectif:
            da_exclu = min(depassement, da_max)
            exclu = majoration + da_exclu
            ajout(Etape(
                "Exclusions du contrat responsable hors parcours", exclu,
                "ni la majoration du ticket modérateur hors parcours, ni le dépassement jusqu'au montant du dépassement autorisé (DA)"
                + ("" if da_max else " — pas de DA pour ce médecin (réservé aux spécialistes conventionnés) : seule la majoration est exclue"),
                "CSS art. R.871-1 (exclusions) et L.162-5-3",
            ))
            couvert = min(couvert, honoraires - da_exclu)
        amc = couvert - amo_brut - majoration if exclu else couvert - amo_brut
        if amc < ZERO:
            amc = ZERO
        ajout(Etape("Remboursement complémentaire (AMC)", amc, "montant garanti − remboursement Sécu avant participation forfaitaire (jamais négatif)", "Fiche de faits §8 (formule des tableaux « % BRSS »)"))
        if garantie.responsable and pf:
            ajout(Etape("Participation forfaitaire non remboursée", pf, "un contrat responsable ne rembourse pas la participation forfaitaire", "CSS art. L.871-1 et R.871-1"))

    reste = honoraires - amo - amc
    ajout(Etape("Reste à charge du patient", reste, "honoraires − Sécu − complémentaire", "Identité comptable du décompte"))
    return Decompte(
        date=date, honoraires=honoraires, brss=brss, taux=t, amo_brut=amo_brut,
        participation_forfaitaire=pf, participation_forfaitaire_reportee=pf_reportee, amo=amo,
        ticket_moderateur=ticket_moderateur, depassement=depassement, amc=amc, reste_a_charge=reste,
        etapes=tuple(etapes), medecin=medecin, patient=patient, garantie=garantie, parcours=parcours_effectif,
        niveau_applique=niveau_applique, plafond_responsable_applique=plafonne,
    )
