"""The course as a website: every notebook readable with its committed outputs, searchable in Spanish, offline.

    python -m tools.site            # build/site/ (what `make site` runs); build/site-src/ holds its sources

    pages         a notebook turned into its page (buttons, no widget state, explorers noted); the landing page
    builder       the steps: sources, slide decks (tools.slides), Sphinx, the offline check
    sphinx_conf   Sphinx + myst-nb + sphinx-book-theme settings: local MathJax, no CDN, Spanish
    search        the Spanish search: Snowball plus one fold, identical in Python and JavaScript
    spanish       the interface strings Sphinx's and the themes' catalogs leave in English
    templates/, static/   two theme components overridden for accessibility; CSS, favicon, search excerpts
"""
