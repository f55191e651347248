"""One reader per collected source, each `read(source: Path, context: Context) -> Shipment`:
`source` is the source's own folder under the shared data, `context` the selection, the
register and the build log."""

from __future__ import annotations

from . import dfe_lait, housing_kaggle, oflog, ons_els

READERS = {
    "dfe-lait-children-services": dfe_lait.read,
    "oflog-adult-social-care": oflog.read,
    "ons-explore-local-statistics": ons_els.read,
    "housing-in-london-kaggle": housing_kaggle.read,
}
