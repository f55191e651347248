"""A model of procurement categories learnt from people's labels, for the combinations the
rules leave undecided. Words of the four fields (as the rules normalise them, single words
and pairs, TF-IDF) each weighted as the rules weigh the field, into a logistic regression.
Pure: labelled combinations in, probabilities out; deterministic (lbfgs, a fixed random
state). Trained once per set of labels (`trained`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from .rules import FIELDS, normalised

# Below these no model is trained: too few labels to learn from, or nothing to choose.
MIN_LABELS = 20
MIN_CATEGORIES = 2
# The model settles a combination only with at least this probability for its category.
THRESHOLD = 0.6
RANDOM_STATE = 0
# Inverse regularisation. Measured on the 2,356 combinations the rules decide in the GLA's
# and Lambeth's files, taking n of them as labels and settling the rest (5 draws): at 1.0,
# n=20 settles 20% at 98.8% precision, n=100 56% at 97.6%, n=300 82% at 98.9%; at 10.0 more
# is settled (28%, 65%, 86%) but less of it rightly (89.7%, 95.4%, 97.4%). A wrong category
# is worse than none.
STRENGTH = 1.0
_KEPT = 8  # models kept in memory, one per set of labels


@dataclass(frozen=True, eq=False)
class CategoryModel:
    labels: int  # how many labels it learnt from
    classes: tuple[str, ...]
    vectorisers: tuple[tuple[str, TfidfVectorizer, float], ...]  # field, words, weight
    classifier: LogisticRegression

    def probabilities(self, frame: pl.DataFrame) -> np.ndarray:
        """Each row's probability of each class (columns in `classes` order)."""
        if frame.height == 0:
            return np.zeros((0, len(self.classes)))
        blocks = [
            vectoriser.transform(_texts(frame, field)) * weight
            for field, vectoriser, weight in self.vectorisers
        ]
        with threadpool_limits(limits=1):
            found = self.classifier.predict_proba(sparse.hstack(blocks).tocsr())
        return np.asarray(found)


def train(examples: pl.DataFrame, weights: Mapping[str, int]) -> CategoryModel | None:
    """A model from labelled combinations (`rules.FIELDS` and `category`), or None where
    there are fewer than MIN_LABELS of them or fewer than MIN_CATEGORIES categories."""
    categories = examples.get_column("category").to_list()
    if len(categories) < MIN_LABELS or len(set(categories)) < MIN_CATEGORIES:
        return None
    vectorisers, blocks = [], []
    for field in FIELDS:
        texts = _texts(examples, field)
        if not any(texts):
            continue  # no label gives this field: nothing to learn from it
        vectoriser = TfidfVectorizer(
            token_pattern=r"[^ ]+", lowercase=False, ngram_range=(1, 2), sublinear_tf=True
        )
        blocks.append(vectoriser.fit_transform(texts) * weights[field])
        vectorisers.append((field, vectoriser, float(weights[field])))
    classifier = LogisticRegression(C=STRENGTH, max_iter=2000, random_state=RANDOM_STATE)
    # One thread: the problem is small, and BLAS threads fighting over a busy machine's
    # cores made 300 labels take 2.4 s rather than 0.13 s.
    with threadpool_limits(limits=1):
        classifier.fit(sparse.hstack(blocks).tocsr(), categories)
    classes = tuple(str(c) for c in classifier.classes_)
    return CategoryModel(len(categories), classes, tuple(vectorisers), classifier)


def _texts(frame: pl.DataFrame, field: str) -> list[str]:
    if field not in frame.columns:
        return [""] * frame.height
    found = normalised([t or "" for t in frame.get_column(field).cast(pl.String).to_list()])
    return [(t or "").strip() for t in found]


def settle(
    model: CategoryModel, frame: pl.DataFrame, among: Sequence[Sequence[str]]
) -> tuple[list[str | None], list[float | None]]:
    """For each row, the model's likeliest category among the row's `among` codes (all its
    classes where that is empty) and its probability, or None for both where that
    probability is below THRESHOLD. The probability is the model's over all its classes: a
    tie is settled only where the model, free to choose any category, puts enough on one of
    the tied ones."""
    probabilities = model.probabilities(frame)
    index = {c: i for i, c in enumerate(model.classes)}
    allowed = np.zeros_like(probabilities, dtype=bool)
    for row, codes in enumerate(among):
        known = [index[c] for c in codes if c in index]
        if known:
            allowed[row, known] = True
        elif not codes:
            allowed[row, :] = True
    masked = np.where(allowed, probabilities, -1.0)
    best = masked.argmax(axis=1) if masked.size else np.zeros(0, dtype=int)
    chosen: list[str | None] = []
    likelihood: list[float | None] = []
    for row, column in enumerate(best):
        p = float(masked[row, column])
        sure = p >= THRESHOLD
        chosen.append(model.classes[column] if sure else None)
        likelihood.append(p if sure else None)
    return chosen, likelihood


_cache: OrderedDict[Hashable, CategoryModel | None] = OrderedDict()
_lock = threading.Lock()


def trained(
    fingerprint: Hashable, examples: pl.DataFrame, weights: Mapping[str, int]
) -> CategoryModel | None:
    """`train(examples, weights)`, once per fingerprint of the examples (the set of standing
    labels) and weights: later calls with the same ones reuse the model."""
    key = (fingerprint, tuple(sorted(weights.items())))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    model = train(examples, weights)
    with _lock:
        _cache[key] = model
        while len(_cache) > _KEPT:
            _cache.popitem(last=False)
    return model
