"""Pure computation for peer support (no database, no request): the broker's optimisation
and the parts of a match's suitability."""
