"""Interactive ipywidgets for the lessons. Widgets call the numerics; the numerics never import this."""
from .explorer import gradient_explorer  # noqa: E402,F401
