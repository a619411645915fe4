"""`google.colab.output`: the widget-manager switches Colab offers (no-ops here, as for core widgets)."""


def enable_custom_widget_manager():
    """Colab needs this for third-party widgets; ipywidgets' own controls work without it."""


def disable_custom_widget_manager():
    """Undo `enable_custom_widget_manager`."""


def clear(wait=False, output_tags=()):
    """Clear the cell's output."""
    from IPython.display import clear_output

    clear_output(wait=wait)
