"""Interactive ipywidgets for the lessons. Widgets call the numerics; the numerics never import this."""
