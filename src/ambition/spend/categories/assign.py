"""Every transaction's procurement category, the one way it is decided, once per distinct
combination of expense type, account, service and purpose:

1. a person's standing label for the combination (its key: `keys`), source "label";
2. else the word rules' single winner (`rules`), source "rules";
3. else, where the rules tie or match nothing, the model learnt from the standing labels
   (`model`), when it is sure enough and, for a tie, only for one of the tied categories,
   source "model";
4. else no category, and the rules' reason (and, for a row that gives nothing but its
   supplier, the supplier's clear category among the other rows: `suppliers`, source
   "supplier", applied to the rows by `current`).

What every page, report and check that speaks of a transaction's category calls."""

from __future__ import annotations

import polars as pl

from . import rules as rulebook
from .keys import combination_keys
from .labels import Standing, standing
from .model import MIN_LABELS, settle, trained
from .rules import FIELDS, NOTHING_GIVEN, Rules, categorise, cpv_of, shipped
from .suppliers import SOURCE as SUPPLIER

SOURCE = "source"  # how the category was decided: LABEL, RULES or MODEL (null where none was)
LABEL, RULES, MODEL = "label", "rules", "model"
SOURCES = (LABEL, RULES, MODEL, SUPPLIER)
ADDED = (*rulebook.ADDED, SOURCE)


def assign(
    frame: pl.DataFrame, rules: Rules | None = None, labels: Standing | None = None
) -> pl.DataFrame:
    """The frame, rows as they were, with `category` (a code or null), `cpv`, `why` and
    `source` (how the category was decided). `labels` are the standing labels, read from
    the database unless given; those naming a category the rules lack are left out."""
    rules = rules or shipped()
    labels = (standing() if labels is None else labels).known(rules)
    keys = frame.select(
        (pl.col(f) if f in frame.columns else pl.lit(None)).cast(pl.String).alias(f) for f in FIELDS
    )
    distinct = keys.unique(maintain_order=True)
    decided = categorise(distinct, rules).with_columns(combination_keys(distinct).alias("_key"))
    decided = _modelled(_labelled(decided, labels, rules), labels, rules)
    found = keys.join(decided, on=list(FIELDS), how="left", nulls_equal=True, maintain_order="left")
    return frame.with_columns(found.select(ADDED).get_columns())


def _labelled(decided: pl.DataFrame, labels: Standing, rules: Rules) -> pl.DataFrame:
    """A label's category in place of the rules' where the combination has one."""
    table = labels.frame.select(
        pl.col("key").alias("_key"),
        pl.col("id").alias("_label"),
        pl.col("category").alias("_labelled"),
        pl.col("reason").alias("_reason"),
    )
    joined = decided.join(table, on="_key", how="left", maintain_order="left")
    hit = pl.col("_label").is_not_null()
    reason = pl.when(pl.col("_reason") != "").then(pl.concat_str(pl.lit(": "), pl.col("_reason")))
    why = pl.concat_str(
        pl.lit("label "), pl.col("_label").cast(pl.String), reason.fill_null(pl.lit(""))
    )
    return joined.with_columns(
        pl.when(hit).then(pl.col("_labelled")).otherwise(pl.col("category")).alias("category"),
        pl.when(hit).then(_cpv(pl.col("_labelled"), rules)).otherwise(pl.col("cpv")).alias("cpv"),
        pl.when(hit).then(why).otherwise(pl.col("why")).alias("why"),
        pl.when(hit)
        .then(pl.lit(LABEL))
        .when(pl.col("category").is_not_null())
        .then(pl.lit(RULES))
        .alias(SOURCE),
    ).drop("_label", "_labelled", "_reason")


def _modelled(decided: pl.DataFrame, labels: Standing, rules: Rules) -> pl.DataFrame:
    """The model's category where neither a label nor the rules gave one, the fields gave
    something, and the model is sure enough (for a tie, of one of the tied categories)."""
    open_ = pl.col(SOURCE).is_null() & (pl.col("why") != NOTHING_GIVEN)
    if labels.count < MIN_LABELS or not decided.select(open_.any()).item():
        return decided
    examples = labels.frame.select(*FIELDS, "category")
    model = trained(labels.fingerprint, examples, rules.weights)
    if model is None:
        return decided
    numbered = decided.with_row_index("_row")
    undecided = numbered.filter(open_)
    chosen, likelihood = settle(model, undecided, _tied(undecided, rules))
    settled = pl.DataFrame(
        {
            "_row": undecided.get_column("_row"),
            "_model": chosen,
            "_why": [
                None
                if p is None
                else f"the model, from {model.labels} labels, gives {c} with p={p:.2f}"
                for c, p in zip(chosen, likelihood, strict=True)
            ],
        },
        schema={"_row": pl.UInt32, "_model": pl.String, "_why": pl.String},
    )
    joined = numbered.join(settled, on="_row", how="left", maintain_order="left")
    hit = pl.col("_model").is_not_null()
    return joined.with_columns(
        pl.when(hit).then(pl.col("_model")).otherwise(pl.col("category")).alias("category"),
        pl.when(hit).then(_cpv(pl.col("_model"), rules)).otherwise(pl.col("cpv")).alias("cpv"),
        pl.when(hit).then(pl.col("_why")).otherwise(pl.col("why")).alias("why"),
        pl.when(hit).then(pl.lit(MODEL)).otherwise(pl.col(SOURCE)).alias(SOURCE),
    ).drop("_row", "_model", "_why")


def _tied(frame: pl.DataFrame, rules: Rules) -> list[list[str]]:
    """For each combination the rules left undecided, the categories tied at the top score
    (none where no rule matched), scored by the rules' own expressions."""
    texts = frame.select(rulebook._normal(pl.col(f)).alias(f) for f in FIELDS)
    names = rulebook._score_names(rules)
    scores = texts.select(rulebook._matches(rules)).select(rulebook._scores(rules))
    best = pl.max_horizontal(names)
    tied = pl.concat_list(
        pl.when((pl.col(s) == best) & (best > 0)).then(pl.lit(c.code))
        for s, c in zip(names, rules.categories, strict=True)
    ).list.drop_nulls()
    return scores.select(tied.alias("tied")).get_column("tied").to_list()


def _cpv(code: pl.Expr, rules: Rules) -> pl.Expr:
    return code.replace_strict(cpv_of(rules), default=None, return_dtype=pl.String)
