from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import Field
from starlette.convertors import Convertor, register_url_convertor

from ...engine.data.csvdata import parse_csv
from ...engine.data.datasets import CLASSIFICATION, DESCRIPTIONS, GENERATORS, make_dataset
from ..encoding import StrictJSONResponse
from ..answers import BODY, NOT_FOUND, CSVAnswer, DatasetAnswer, DatasetSummary
from ..schemas import Strict

router = APIRouter(prefix="/datasets", tags=["datasets"])
QUERY = {422: BODY[422]}
OWN_PATHS = ("csv",)  # /datasets/<these> are routes of their own, not dataset names


class DatasetName(Convertor):
    """A dataset name in a path: any segment but OWN_PATHS, so that GET /datasets/csv is the
    csv route's 405 (it takes POST), not "unknown dataset 'csv'" from GET /datasets/{name}."""

    regex = "(?!(?:" + "|".join(OWN_PATHS) + ")$)[^/]+"

    def convert(self, value):
        return value

    def to_string(self, value):
        return str(value)


register_url_convertor("dataset_name", DatasetName())


class CSVUpload(Strict):
    csv: str = Field(max_length=2_000_000, description="the file's text; the last column is "
                                                        "the target unless `target` says otherwise",
                     examples=["x1,x2,y\n0.1,0.2,1\n-0.3,0.5,0\n"])
    target: str = "last"


@router.get("", response_model=list[DatasetSummary])
def datasets():
    """The built-in datasets: 2-D classification and 1-D regression, generated from a seed."""
    return [{"name": name, "task": "classification" if name in CLASSIFICATION else "regression",
             "description": DESCRIPTIONS[name]} for name in GENERATORS]


@router.get("/{name:dataset_name}", response_class=StrictJSONResponse,
            responses={200: {"model": DatasetAnswer}, **NOT_FOUND, **QUERY})
def dataset(name: str = Path(json_schema_extra={"enum": list(GENERATORS)}), n: int = Query(200, ge=1, le=100_000), noise: float = Query(0.1, ge=0, le=2),
            seed: int = Query(0, ge=0), classes: int = Query(3, ge=2, le=10)):
    """Points x (n, 2) or (n, 1) and targets y shaped for the suggested loss."""
    if name not in GENERATORS:
        raise HTTPException(404, f"unknown dataset {name!r}; known: " + ", ".join(GENERATORS))
    return StrictJSONResponse(make_dataset(name, n=n, noise=noise, seed=seed, classes=classes))


@router.post("/csv", response_class=StrictJSONResponse, responses={200: {"model": CSVAnswer}, **BODY})
def upload_csv(body: CSVUpload):
    """A small CSV as x and y; a bad file gets a message naming the line and column."""
    return StrictJSONResponse(parse_csv(body.csv, body.target))
