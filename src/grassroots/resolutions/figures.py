"""The figures of the resolutions app, found by the registry's autodiscovery."""

from grassroots.resolutions import indicator_figures  # noqa: F401  (the ``indicators`` review)
