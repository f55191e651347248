"""The package's shape: one reader signature, a note template for every source it ships."""

from __future__ import annotations

import inspect

import pytest

from scripts.demo_data import docs
from scripts.demo_data.sources import READERS


def test_every_reader_has_the_one_signature() -> None:
    for source, read in READERS.items():
        signature = inspect.signature(read)
        assert list(signature.parameters) == ["source", "context"], source
        assert signature.return_annotation == "Shipment", source


def test_every_reader_has_a_source_note() -> None:
    assert set(READERS) <= set(docs.documented_sources())


def test_a_template_value_left_out_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError, match="indicator_count"):
        docs.fill("SUMMARY.md", min_periods=5)
