"""/api/v1/methods/{name}/rate: a what-if star rating. Given judgements and service-area scores
that the caller chooses, the stars the methodology's star table gives, the rule that fired and
why, as `ambition rate --format json` prints it (`trying.what_if`, one serialiser for both)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictInt

from ambition.registry.api import Error

from ..engine.stars import StarInputError
from ..methodology import MethodologyError, available
from ..trying import what_if

router = Router(tags=["assessment"])

Score = Annotated[StrictInt, Field(ge=1, le=4)]


class RateIn(Schema):
    judgements: dict[str, Score | None] = Field(
        default_factory=dict,
        description='Judgement key -> 1-4, e.g. {"corporate_assessment": 3}; every judgement '
        "the star table declares is needed for a rating",
    )
    scores: dict[str, Score | None] = Field(
        default_factory=dict,
        description="Service area, block or level of the star table -> 1-4 (null: not scored). "
        "A block sets each of its areas and a level each of its members; an area named on its "
        "own wins. An area left out is not scored.",
    )


class MethodRef(Schema):
    name: str
    version: str
    sha256: str = Field(description="SHA-256 of the methodology and its star table")


class RuleOut(Schema):
    id: str
    stars: int
    text: str
    source: str = Field(description="A citation, or inferred")
    reasoning: str = Field(description="Why an inferred rule reads as it does")
    inferred: bool


class HeldBackOut(Schema):
    input: str
    score: int
    judgement: bool
    rules: list[str] = Field(description="The rules with more stars that this score stopped")


class ChangeOut(Schema):
    input: str
    from_: int = Field(alias="from")
    to: int
    judgement: bool


class NextStarOut(Schema):
    stars: int = Field(description="The stars these changes together give")
    rule: str
    changes: list[ChangeOut]


class JudgementPartOut(Schema):
    key: str
    label: str
    score: int | None


class MissingOut(Schema):
    input: str = Field(description="A judgement key or a level of the star table")
    reason: str


class InputOut(Schema):
    input: str = Field(description="A judgement key or a service area code")
    name: str
    judgement: bool
    score: int | None = Field(description="1-4; null: not scored (or judgement not entered)")
    given_as: str | None = Field(
        description="The name the score was given under: the input, its block or its level"
    )


class RateOut(Schema):
    method: MethodRef
    stars: int | None = Field(description="0-4; null: not rated (the reason is in `missing`)")
    rule: RuleOut | None = Field(description="The first rule of the star table that holds")
    held_back: list[HeldBackOut]
    to_next_star: list[NextStarOut] = Field(description="The fewest raises that give more stars")
    judgement_parts: list[JudgementPartOut]
    missing: list[MissingOut]
    left_out: list[str] = Field(description="Service areas not scored")
    inputs: list[InputOut] = Field(description="Every input of the star table as understood")
    names: dict[str, str] = Field(description="Names of the areas, judgements, blocks, levels")


@router.post(
    "/methods/{name}/rate",
    # Anyone may try a rating: it reads no council's data and writes nothing.
    auth=None,
    by_alias=True,
    response={200: RateOut, 400: Error, 404: Error, 422: Error},
    summary="What a council would get: a what-if star rating",
)
def rate_method(request: HttpRequest, name: str, inputs: RateIn) -> dict[str, Any]:
    """The stars the method's star table gives these judgements and scores, the rule that fired
    and why (what held it back, the fewest raises to more stars). Nothing is stored."""
    if name not in available():
        raise HttpError(404, f"No methodology called {name!r}")
    try:
        return what_if(name, inputs.judgements, inputs.scores)
    except MethodologyError as error:
        raise HttpError(404, str(error)) from error
    except StarInputError as error:
        raise HttpError(422, str(error)) from error
