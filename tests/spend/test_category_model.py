"""A transaction's category decided the one way (`assign`), on hand-made frames: a person's
label first, then the word rules, then the model learnt from the labels, which settles a tie
only among the tied categories and only at its threshold; no model below its minimum of
labels; combinations the rules read alike share a key; rows never dropped or reordered."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ambition.spend.categories.assign import LABEL, MODEL, RULES, SOURCES, assign
from ambition.spend.categories.keys import combination_key, combination_keys
from ambition.spend.categories.labels import Standing
from ambition.spend.categories.model import (
    MIN_LABELS,
    THRESHOLD,
    settle,
    train,
    trained,
)
from ambition.spend.categories.rules import FIELDS

from .test_categories import RULES as WORDS  # legal, ict and con ("consultancy") rules
from .test_categories import text

# Words no rule knows, labelled by people: the model learns them.
ICT = [
    "digital services", "digital platform", "digital licences", "cloud hosting",
    "cloud storage", "digital support", "data centre", "network cabling",
    "digital telephony", "cloud backup", "servers and storage", "digital design",
]  # fmt: skip
LEGAL = [
    "counsel fees", "barrister fees", "court costs", "tribunal costs", "counsel opinion",
    "land registry searches", "court fees", "barrister brief", "conveyancing",
    "counsel advice", "litigation costs", "court of protection",
]  # fmt: skip
LABELLED = Standing.of(
    [{"expense_type": t, "category": "ict", "reason": "digital"} for t in ICT]
    + [{"expense_type": t, "category": "legal"} for t in LEGAL]
)


def decided(labels: Standing = LABELLED, **fields: list[str | None]) -> list[dict[str, object]]:
    frame = pl.DataFrame(fields, schema=dict.fromkeys(fields, pl.String))
    return list(assign(frame, WORDS, labels).iter_rows(named=True))


def test_a_label_beats_the_rules_and_the_rules_beat_the_model() -> None:
    labels = Standing.of(
        [
            *LABELLED.frame.drop("id", "key").iter_rows(named=True),
            {"expense_type": "Legal Fees", "category": "con", "reason": "advice, not law"},
        ]
    )
    rows = decided(labels, expense_type=["LEGAL-FEES", "legal", "digital consultancy"])
    # The label names the combination as the rules read it: case and marks aside.
    assert (rows[0]["category"], rows[0]["source"]) == ("con", LABEL)
    assert rows[0]["why"] == f"label {labels.count}: advice, not law"
    assert rows[0]["cpv"] == "79"
    # No label: the rules' single winner, though the model knows nothing of "legal".
    assert (rows[1]["category"], rows[1]["source"]) == ("legal", RULES)
    # A single rule (consultancy) wins outright: the model, which would say ICT, is not asked.
    assert (rows[2]["category"], rows[2]["source"]) == ("con", RULES)


def test_the_model_settles_what_the_rules_leave_and_says_so() -> None:
    rows = decided(expense_type=["counsel barrister fees", "cloud", "weird stuff", None])
    assert (rows[0]["category"], rows[0]["source"]) == ("legal", MODEL)
    assert str(rows[0]["why"]).startswith(f"the model, from {LABELLED.count} labels, gives legal")
    assert rows[1]["category"] == "ict" and rows[1]["cpv"] == "72, 48"
    # Words the model has never seen leave it unsure: the rules' reason stands.
    assert (rows[2]["category"], rows[2]["why"]) == (None, "no rule matches 'weird stuff'")
    # Nothing given is never guessed.
    assert rows[3]["category"] is None and rows[3]["source"] is None


def test_a_tie_is_settled_only_among_the_tied_categories() -> None:
    rows = decided(expense_type=["IT Consultancy digital", "IT Consultancy counsel barrister"])
    # ict and con tie; the model's "digital" is ICT's word: ict, one of the tied.
    assert (rows[0]["category"], rows[0]["source"]) == ("ict", MODEL)
    # The model is sure this is legal, which is not among the tied: left as the rules left it.
    assert rows[1]["category"] is None
    assert rows[1]["why"] == "rules for ict and con tie on 'IT Consultancy counsel barrister'"


def test_the_model_settles_only_at_its_threshold() -> None:
    examples = LABELLED.frame.select(*FIELDS, "category")
    model = train(examples, WORDS.weights)
    assert model is not None and model.classes == ("ict", "legal")
    frame = pl.DataFrame(
        {"expense_type": ["digital", "digital counsel", "counsel", "weird", "cloud court"]}
    )
    probabilities = model.probabilities(frame)
    chosen, likelihood = settle(model, frame, [[]] * frame.height)
    for row, best in enumerate(probabilities.max(axis=1)):
        assert (chosen[row] is not None) == (best >= THRESHOLD), (row, best)
        assert likelihood[row] == (best if best >= THRESHOLD else None)
    assert chosen[0] == "ict" and chosen[2] == "legal"
    assert chosen[1] is None  # both words, neither sure enough
    # Among only the unlikelier category, the same row is not settled.
    assert settle(model, frame[:1], [["legal"]])[0] == [None]
    # A tied category the model never learnt cannot be chosen.
    assert settle(model, frame[:1], [["con"]])[0] == [None]


def test_no_model_below_its_minimum_of_labels_or_categories() -> None:
    few = Standing.of(LABELLED.frame.head(MIN_LABELS - 1).iter_rows(named=True))
    rows = decided(few, expense_type=["digital", "IT Consultancy digital"])
    assert [r["category"] for r in rows] == [None, None]
    assert rows[1]["why"] == "rules for ict and con tie on 'IT Consultancy digital'"
    one = Standing.of(
        {"expense_type": f"{t} {i}", "category": "ict"} for i, t in enumerate(ICT * 2)
    )
    assert one.count >= MIN_LABELS
    assert train(one.frame.select(*FIELDS, "category"), WORDS.weights) is None


def test_a_label_whose_category_the_rules_lost_is_left_out() -> None:
    labels = Standing.of([{"expense_type": "Legal fees", "category": "gone"}])
    (row,) = decided(labels, expense_type=["legal fees"])
    assert (row["category"], row["source"]) == ("legal", RULES)


def test_one_model_per_set_of_labels() -> None:
    examples = LABELLED.frame.select(*FIELDS, "category")
    first = trained(LABELLED.fingerprint, examples, WORDS.weights)
    assert trained(LABELLED.fingerprint, examples, WORDS.weights) is first
    changed = Standing.of(
        [
            *LABELLED.frame.drop("key").head(LABELLED.count - 1).iter_rows(named=True),
            {"id": 99, "expense_type": "court costs", "category": "ict"},
        ]
    )
    assert changed.fingerprint != LABELLED.fingerprint
    again = train(examples, WORDS.weights)
    assert again is not None and first is not None
    frame = pl.DataFrame({"expense_type": ICT + LEGAL})
    # Deterministic: the same labels, the same probabilities.
    assert (again.probabilities(frame) == first.probabilities(frame)).all()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (["LEGAL FEES", None, "Legal", ""], ["legal-fees ", "", "legal", None]),
        (["Health & Safety", "1", None, None], ["health and safety", "1", "  ", "--"]),
    ],
)
def test_texts_the_rules_read_alike_share_a_key(
    one: list[str | None], other: list[str | None]
) -> None:
    assert combination_key(one) == combination_key(other)


def test_the_same_text_in_another_field_is_another_combination() -> None:
    assert combination_key(["legal", None, None, None]) != combination_key(
        [None, "legal", None, None]
    )
    frame = pl.DataFrame({"account": ["legal"], "other": [1]})
    assert combination_keys(frame).item() == combination_key([None, "legal", None, None])
    with pytest.raises(ValueError, match="4 texts"):
        combination_key(["legal"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(text, text, text, text), max_size=25))
def test_rows_are_never_dropped_or_reordered(rows: list[tuple[str | None, ...]]) -> None:
    frame = pl.DataFrame(
        [(i, *r) for i, r in enumerate(rows)],
        schema={"index": pl.Int64, **dict.fromkeys(FIELDS, pl.String)},
        orient="row",
    )
    done = assign(frame, WORDS, LABELLED)
    assert done.select("index", *FIELDS).equals(frame)
    assert done.get_column("why").null_count() == 0
    sources = done.get_column("source")
    assert set(sources.drop_nulls().to_list()) <= set(SOURCES)
    assert (sources.is_null() == done.get_column("category").is_null()).all()
