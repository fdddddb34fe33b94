from fastapi import APIRouter, HTTPException

from ...lessons import claim_text
from ...presets import get_preset, list_presets
from ..answers import NOT_FOUND, PresetAnswer
from ..schemas import PresetSummary

router = APIRouter(prefix="/presets", tags=["presets"])


@router.get("", response_model=list[PresetSummary])
def presets():
    """The scenes in lecture order."""
    return list_presets()


@router.get("/{name}", responses={200: {"model": PresetAnswer}, **NOT_FOUND})
def preset(name: str):
    """One scene: a ready network, x, y (or inputs), a learning rate, what to look at, and
    its `claim`: the lesson it shows, as text (checked by POST .../check)."""
    found = get_preset(name)
    if found is None:
        raise HTTPException(404, f"unknown preset {name!r}; known: "
                                 + ", ".join(p["name"] for p in list_presets()))
    return {**found, "claim": claim_text(name)}
