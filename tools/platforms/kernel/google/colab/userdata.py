"""Colab's secrets panel, as `google.colab.userdata` exposes it (same function and exceptions).

The stand-in has no panel: a secret exists only if the JSON file named by COURSE_COLAB_SECRETS holds it
(`{"NAME": {"value": "...", "granted": true}}`); none exist by default, as in a new Colab account.
"""
import json
import os


class NotebookAccessError(Exception):
    """The secret exists but this notebook has not been granted access to it."""


class SecretNotFoundError(Exception):
    """No secret of that name exists."""


class TimeoutException(Exception):
    """The frontend did not answer in time."""


def get(key):
    path = os.environ.get("COURSE_COLAB_SECRETS")
    secrets = {}
    if path and os.path.isfile(path):
        with open(path, encoding="utf-8") as fh:
            secrets = json.load(fh)
    if key not in secrets:
        raise SecretNotFoundError(f"Secret {key} does not exist.")
    if not secrets[key].get("granted", False):
        raise NotebookAccessError(f"Notebook does not have access to secret {key}")
    return secrets[key]["value"]
