"""Input checks shared by utils.conv and utils.plots: integer tests and Spanish descriptions of bad values."""
import numpy as np


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _received(value):
    """Spanish description of a value that is not what was expected."""
    if value is None:
        return "None"
    if isinstance(value, (str, bytes)):
        return f"el texto {value[:30]!r}"
    return f"un objeto de tipo {type(value).__name__}"
