"""``python -m livepmo`` is the ``livepmo`` command."""

from livepmo.cli import main

raise SystemExit(main())
