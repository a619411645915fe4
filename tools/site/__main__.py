"""`python -m tools.site`: build the site, one line per step; a Spanish message and exit 1 on failure."""
import argparse
import sys
from pathlib import Path

from tools.site.builder import SiteError, build


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.site", description="Construye el sitio del curso.")
    parser.add_argument("--out", type=Path, help="carpeta de salida (por defecto build/site)")
    args = parser.parse_args(argv)
    try:
        build(out_dir=args.out)
    except (SiteError, ValueError) as exc:
        print(f"Error al construir el sitio: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
