"""Operating the installation: ``grassroots backup`` and ``grassroots restore`` (docs/operations.md)."""
