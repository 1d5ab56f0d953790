"""Les erreurs de saisie : un message en français qui nomme le champ et ce qui est accepté."""


class ErreurSaisie(ValueError):
    """Une donnée d'entrée refusée.

    ``champ`` nomme le paramètre fautif (``"honoraires"``, ``"medecin.dptam"``…),
    ``acceptes`` décrit les valeurs acceptées. Le message est en français, prêt à être
    montré à un stagiaire.
    """

    def __init__(self, champ: str, message: str, acceptes: str | None = None):
        self.champ = champ
        self.message = message
        self.acceptes = acceptes
        texte = f"{champ} : {message}"
        if acceptes:
            texte += f" (valeurs acceptées : {acceptes})"
        super().__init__(texte)


class ParametreInconnu(ErreurSaisie, KeyError):
    """Un nom de paramètre absent de la table : une :class:`ErreurSaisie` en français, qui reste une ``KeyError``
    pour le code qui teste l'existence d'un paramètre (``except KeyError``)."""

    def __str__(self) -> str:  # KeyError entoure son message de guillemets : pas ici
        return ValueError.__str__(self)
