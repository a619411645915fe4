"""`python -m tools.edition`: see tools/edition/__init__.py."""
import sys

from tools.edition import main

sys.exit(main())
