"""``python -m coldcase_game``: the same entry point as the ``coldcase`` command."""

import sys

from coldcase_game.cli import main

if __name__ == "__main__":
    sys.exit(main())
