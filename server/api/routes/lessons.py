"""A preset's lesson checked on demand: `POST /presets/{name}/check` measures its claim."""

from typing import Annotated

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

from ... import lessons
from ...presets import list_presets
from ..answers import BODY
from ..encoding import StrictJSONResponse

router = APIRouter(prefix="/presets", tags=["presets"])


class CheckRequest(BaseModel):
    """Which run to measure: the preset as it is, or with another network seed and/or its
    initial parameters scaled by (1 ± perturbation), entry by entry."""
    model_config = ConfigDict(extra="forbid")
    seed: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)] | None = None
    perturbation: Annotated[StrictFloat | StrictInt, Field(ge=0, le=1e-3)] = 0.0


class MeasureOut(BaseModel):
    name: str
    value: float | str
    sense: str
    bar: float
    holds: bool
    margin: float | str


class CheckAnswer(BaseModel):
    preset: str
    claim: str
    seed: int | None
    perturbation: float
    holds: bool
    measures: list[MeasureOut]


@router.post("/{name}/check", response_class=StrictJSONResponse,
             responses={200: {"model": CheckAnswer}, 404: {"description": "unknown preset"}, **BODY})
def check(name: str, body: CheckRequest | None = None):
    """Measure the preset's claim (its lesson) on this run: every measure, its bar, and whether
    it holds. A run whose measures miss their bars contradicts the lesson."""
    body = body or CheckRequest()
    if lessons.claim_text(name) is None:
        raise HTTPException(404, f"unknown preset {name!r}; known: "
                                 + ", ".join(p["name"] for p in list_presets()))
    return StrictJSONResponse(lessons.check(name, body.seed, float(body.perturbation)))
