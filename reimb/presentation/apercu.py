"""L'aperçu d'un widget en HTML fixe, pour le mode application (Voilà, ``make app``).

Dans Voilà, un widget n'apparaît qu'une fois chargé le code JavaScript de la page et son gestionnaire de
widgets (2 à 5 s sur un poste à 2 cœurs), alors que le noyau a déjà tout calculé. Sous Voilà seulement,
chaque widget affiché porte donc aussi, à côté de sa vue (``application/vnd.jupyter.widget-view+json``), un
``text/html`` : son aperçu, fait des valeurs qu'il a à cet instant dans le noyau (le décompte, les montants,
les réglages tels qu'ils sont). Le gabarit « reimb » (``voila/templates/reimb/index.html.j2``) l'affiche dès
l'arrivée de la page, puis le remplace par le widget vivant dès que celui-ci est construit.

Hors de Voilà (JupyterLab, nbval, ``make notebooks``), rien ne change : les sorties enregistrées des notebooks
restent celles d'ipywidgets. Ce module n'importe ni ipywidgets ni IPython : le formateur est enregistré par le
nom du type (``for_type_by_name``), ipywidgets n'est chargé qu'au premier widget affiché.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from html import escape

#: Voilà met cette variable dans l'environnement de chacun de ses noyaux (préchauffés ou non).
VARIABLE_VOILA = "VOILA_PREHEAT"

# La géométrie des contrôles d'ipywidgets 8 (--jp-widgets-inline-height, --jp-widgets-margin…), pour que l'aperçu
# occupe la place du widget vivant et que la page ne saute pas au remplacement.
# Un contrôle de l'aperçu est un peu pâle : il ne répond qu'une fois le widget vivant arrivé (1 à 3 s plus tard).
_LIGNE = ("display:flex;align-items:center;box-sizing:border-box;height:28px;margin:2px;font-size:13px;line-height:28px;"
          "opacity:.6")
_ETIQUETTE = "white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding-right:8px;flex:none"
_CASE = ("box-sizing:border-box;height:28px;line-height:26px;padding:0 6px;border:1px solid #9e9e9e;background:#fff;"
         "color:#000;overflow:hidden;white-space:nowrap;flex:1 1 auto;min-width:0")
_BOUTON = ("display:inline-block;box-sizing:border-box;height:28px;line-height:28px;padding:0 10px;margin-right:2px;font-size:12px;"
           "background:#eee;color:#000;white-space:nowrap")


def dans_voila() -> bool:
    return VARIABLE_VOILA in os.environ


def activer_sous_voila() -> bool:
    """Sous Voilà, dans un noyau IPython : chaque widget affiché porte aussi son aperçu en ``text/html`` ; rend vrai
    si l'aperçu est activé. Ailleurs, ne fait rien."""
    if not dans_voila() or "IPython" not in sys.modules:
        return False
    ip = sys.modules["IPython"].get_ipython()
    if ip is None:
        return False
    ip.display_formatter.formatters["text/html"].for_type_by_name(
        "ipywidgets.widgets.domwidget", "DOMWidget", apercu_html)
    return True


def apercu_html(widget) -> str | None:
    """L'aperçu d'un widget et de ses enfants : le HTML qu'ils montrent, leurs réglages comme à l'écran.

    ``None`` (pas d'aperçu, le widget vivant seul) si l'aperçu ne peut pas être fait : il ne doit jamais
    mettre une erreur dans la page à la place du widget.

    >>> import ipywidgets as w
    >>> html = apercu_html(w.VBox([w.HTML("<b>18,60 €</b>"), w.Checkbox(value=True, description="Contrat responsable"),
    ...                            w.Text(value="150", description="Garantie (% BRSS)", layout=w.Layout(display="none"))]))
    >>> "<b>18,60 €</b>" in html, "☑</span>Contrat responsable" in html, "Garantie" in html
    (True, True, False)
    """
    try:
        return f'<div class="reimb-apercu-widget" style="cursor:progress">{_html(widget)}</div>'
    except Exception:
        return None


def _largeur(widget) -> str:
    layout = getattr(widget, "layout", None)
    largeur = getattr(layout, "width", None)
    return f"width:{escape(largeur)};max-width:100%;" if largeur else ""


def _description(widget) -> str:
    texte = getattr(widget, "description", "") or ""
    if not texte:
        return ""
    style = getattr(widget, "style", None)
    largeur = getattr(style, "description_width", "") or ""
    dim = f"width:{escape(largeur)};" if largeur and largeur != "initial" else ""
    return f'<span style="{_ETIQUETTE};{dim}">{escape(texte)}</span>'


def _ligne(widget, contenu: str) -> str:
    # Sans largeur donnée, un contrôle d'ipywidgets occupe --jp-widgets-inline-width (300 px).
    largeur = _largeur(widget) or "width:300px;max-width:100%;"
    return f'<div style="{_LIGNE};{largeur}">{_description(widget)}{contenu}</div>'


def _nombre(valeur, format_: str) -> str:
    try:
        return format(valeur, format_)
    except (TypeError, ValueError):
        return str(valeur)


def _html(widget) -> str:  # noqa: C901 (un cas par sorte de contrôle)
    import ipywidgets as w

    layout = getattr(widget, "layout", None)
    if getattr(layout, "display", None) == "none" or getattr(layout, "visibility", None) == "hidden":
        return ""
    if isinstance(widget, w.Box):
        sens = "row" if isinstance(widget, w.HBox) else "column"
        enfants = "".join(_html(e) for e in widget.children)
        return f'<div style="display:flex;flex-direction:{sens};{_largeur(widget)}">{enfants}</div>'
    if isinstance(widget, (w.HTML, w.HTMLMath)):
        # Comme .widget-html-content : 13 px, une ligne de 28 px (le HTML du cours donne sa propre interligne).
        return (f'<div style="font-size:13px;line-height:28px;min-height:28px;margin:2px;{_largeur(widget)}">'
                f"{_description(widget)}{widget.value}</div>")
    if isinstance(widget, w.Label):
        return _ligne(widget, escape(widget.value))
    if isinstance(widget, (w.FloatSlider, w.IntSlider)):
        etendue = (widget.max - widget.min) or 1
        part = max(0.0, min(1.0, (widget.value - widget.min) / etendue))
        piste = ('<span style="position:relative;flex:1 1 auto;height:28px;margin:0 6px">'
                 '<span style="position:absolute;left:0;right:0;top:13px;height:4px;background:#ccc"></span>'
                 f'<span style="position:absolute;left:calc({part * 100:.1f}% - 8px);top:7px;width:14px;height:14px;'
                 'border-radius:50%;border:1px solid #9e9e9e;background:#fff"></span></span>')
        lecture = _nombre(widget.value, widget.readout_format) if widget.readout else ""
        return _ligne(widget, piste + f'<span style="padding:0 8px;min-width:4em;text-align:center">{escape(lecture)}</span>')
    if isinstance(widget, w.Checkbox):
        coche = "☑" if widget.value else "☐"
        description = escape(widget.description or "")
        return f'<div style="{_LIGNE};{_largeur(widget) or "width:300px;"}"><span style="padding:0 8px 0 6px">{coche}</span>{description}</div>'
    if isinstance(widget, w.ToggleButtons):
        boutons = "".join(
            f'<span style="{_BOUTON};{"background:#bdbdbd;box-shadow:inset 0 1px 3px rgba(0,0,0,.3)" if i == widget.index else ""}">'
            f"{escape(str(libelle))}</span>" for i, libelle in enumerate(widget._options_labels))
        # ipywidgets met la description des boutons à bascule sur sa propre ligne, au-dessus des boutons.
        return (f'<div style="margin:2px;height:22px;line-height:22px;font-size:13px">{_description(widget)}</div>'
                f'<div style="{_LIGNE}">{boutons}</div>')
    if isinstance(widget, (w.Dropdown, w.Select, w.RadioButtons)):
        return _ligne(widget, f'<span style="{_CASE}">{escape(str(widget.label or ""))}</span>')
    if isinstance(widget, w.DatePicker):
        texte = widget.value.strftime("%d/%m/%Y") if isinstance(widget.value, date) else ""
        return _ligne(widget, f'<span style="{_CASE}">{escape(texte)}</span>')
    if isinstance(widget, (w.Text, w.Textarea, w.IntText, w.FloatText, w.BoundedIntText, w.BoundedFloatText)):
        valeur = str(widget.value) if widget.value is not None else ""
        if not valeur and getattr(widget, "placeholder", ""):
            return _ligne(widget, f'<span style="{_CASE};color:#757575">{escape(widget.placeholder)}</span>')
        return _ligne(widget, f'<span style="{_CASE}">{escape(valeur)}</span>')
    if isinstance(widget, w.Button):
        if not widget.description:
            return ""
        couleur = "background:#2196f3;color:#fff;" if widget.button_style == "primary" else ""
        return f'<div style="{_LIGNE}"><span style="{_BOUTON};{couleur}">{escape(widget.description)}</span></div>'
    if isinstance(widget, w.Image):
        import base64

        if not widget.value:
            return ""
        dims = "".join(f' {k}="{escape(str(v))}"' for k, v in (("width", widget.width), ("height", widget.height)) if v)
        donnees = base64.b64encode(bytes(widget.value)).decode("ascii")
        return f'<img src="data:image/{escape(widget.format)};base64,{donnees}"{dims} style="max-width:100%" alt="">'
    return ""  # une sorte de widget sans aperçu : le widget vivant la montrera
