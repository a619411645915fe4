"""Spanish search for the site: Sphinx's Snowball stemmer plus one fold, the same in Python and JS.

Snowball's Spanish stemmer turns "convolución" into "convolu" but "convolucionar" into
"convolucion", and "normalizacion" (typed without its accent) keeps its "-acion". Folding a stem's
final "ucion" to "u" and "acion" to "" after Snowball gives noun, verb and accentless spellings one
stem. The index (Python, `stem`) and the search box (JavaScript, `JS_FOLD`) apply the same rules.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import sphinx.search
from sphinx.search.es import SearchSpanish

FOLDS = [(r"ucion$", "u"), (r"acion$", "")]
_SNOWBALL_JS = Path(sphinx.search.__file__).parent / "minified-js"
# Wraps Snowball's SpanishStemmer (from Sphinx's own files) with the same folds as `FOLDS`.
JS_FOLD = """
window.Stemmer = function () {
  const snowball = new SpanishStemmer();
  const folds = %s;
  this.stemWord = function (word) {
    let stem = snowball.stemWord(word);
    for (const [pattern, replacement] of folds) stem = stem.replace(new RegExp(pattern), replacement);
    return stem;
  };
};
"""


def fold(stem: str) -> str:
    for pattern, replacement in FOLDS:
        stem = re.sub(pattern, replacement, stem)
    return stem


class SearchCurso(SearchSpanish):
    """Spanish (`es`) with the folds; registered in place of Sphinx's own Spanish search."""

    js_stemmer_rawcode = ""
    js_stemmer_code = "\n".join([
        (_SNOWBALL_JS / "base-stemmer.js").read_text(encoding="utf-8"),
        (_SNOWBALL_JS / "spanish-stemmer.js").read_text(encoding="utf-8"),
        JS_FOLD % json.dumps(FOLDS),
    ])

    def stem(self, word: str) -> str:
        return fold(super().stem(word))
