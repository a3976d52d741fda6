"""Tests of the deliverable model, its storage and the ``livepmo`` command."""
