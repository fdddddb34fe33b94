"""What goes out: the answers' schemas, shown in /openapi.json (and the error answers).

The encoder stays the strict-JSON one (encoding.py): these models document the answers
(`responses={200: {"model": …}}`) and never re-validate them, so a non-finite number goes
out as the string "NaN" / "Infinity" / "-Infinity" as the contract says. A `Number` is
therefore a float or one of those strings; `Arrays` maps a name to a nested list of them.
"""

from typing import Any, Literal

from pydantic import BaseModel, Field

Number = float | Literal["NaN", "Infinity", "-Infinity"]
Arrays = dict[str, Any]  # {name: nested lists of Numbers, batch first}


class Answer(BaseModel):
    nonfinite: bool = Field(description="true when any number in the answer is not finite")


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="the field, e.g. [\"body\", \"network\", \"sizes\", 0]")
    msg: str = Field(description="what was wrong, naming the limit or the allowed values")
    type: str


class ErrorAnswer(BaseModel):
    detail: list[ErrorItem] | str
    request_id: str | None = Field(None, description="on a 500: the id in the server's log")


def _error(text):
    return {"model": ErrorAnswer, "description": text}


BAD_HTTP = {400: _error("a malformed HTTP request (e.g. both Content-Length and "
                        "Transfer-Encoding)")}
BODY = {**BAD_HTTP, 413: _error("the body is larger than BPV_MAX_BODY_BYTES"),
        422: _error("a field is wrong (named in loc), or the work is beyond a limit "
                    "(BPV_MAX_VALUES, BPV_MAX_REQUEST_WORK, …) named in msg with the estimate")}
COMPUTE = {**BODY, 503: _error("the compute queue is full; retry after Retry-After seconds")}
NOT_FOUND = {404: _error("unknown name or id")}
METHOD = {405: _error("the path does not answer this method (OPTIONS lists the ones it does)")}


class SessionAnswer(Answer):
    id: str
    network: dict[str, Any] = Field(description="the normalised network spec")
    params: Arrays
    step: int
    loss_history: list[Number]
    x: Any = None
    y: Any = None
    inputs: Arrays | None = None


class ForwardAnswer(Answer):
    phase: Literal["forward"]
    step: int
    loss: Number
    graph: dict[str, Any]
    forward_order: list[str]
    values: Arrays
    params: Arrays
    local_derivatives: Arrays


class BackwardAnswer(Answer):
    phase: Literal["backward"]
    step: int
    loss: Number
    backward_order: list[str]
    grads: Arrays
    param_grads: Arrays
    contributions: dict[str, list[dict[str, Any]]]
    detail: Literal["full", "summary"]


class StepAnswer(Answer):
    phase: Literal["update"]
    step: int
    lr: float
    loss: Number = Field(description="f before the update")
    loss_after: Number
    params_before: Arrays
    params: Arrays
    param_grads: Arrays
    clipping: dict[str, Any] | None = None


class TrainAnswer(Answer):
    step: int
    loss_history: list[Number] = Field(description="f before each update")
    final_loss: Number
    params: Arrays
    divergence: dict[str, Any] | None = Field(description="the first non-finite step, explained")
    clip_norms_before: list[Number] | None = None
    stopped: dict[str, Any] | None = Field(None, description="why training stopped early (time "
                                                             "budget, client gone): steps done are kept")


class PredictAnswer(Answer):
    layers: Arrays
    output: Any
    probability: Any = None


class HVPAnswer(Answer):
    loss: Number
    param_grads: Arrays
    hvp: Arrays
    v: Arrays
    vHv: Number
    curvature: Number
    check: dict[str, Any] | None = None


class GradcheckAnswer(Answer):
    max_relative_error: Number
    nodes_max_relative_error: Number
    eps: float
    tiny: float
    forward_passes: int
    kinks: list[str]
    params: dict[str, dict[str, Any]]
    nodes: dict[str, dict[str, Any]]


class NudgeAnswer(Answer):
    param: str
    delta: Any
    f_before: Number
    f_after: Number
    actual_change: Number
    predicted_change: Number
    remainder: Number
    relative_remainder: Number | None
    curvature_term: Number | None = None
    predicted_change_second_order: Number | None = None
    remainder_second_order: Number | None = None


class HessianAnswer(Answer):
    names: list[str]
    hessian: list[list[Number]]
    eigenvalues: list[Number]
    asymmetry: Number


class EigenAnswer(Answer):
    eigenvalue: Number
    history: list[Number]


class NewtonAnswer(Answer):
    step: Arrays
    loss_before: Number
    loss_after: Number
    predicted_change: Number
    eigenvalues: list[Number]
    damping: float
    indefinite: bool


class CostAnswer(Answer):
    params: int
    forward_passes: dict[str, int]
    backward_passes: dict[str, int]
    seconds: dict[str, Number]
    forward_equivalents: dict[str, Number | None]
    finite_differences: dict[str, Any]
    max_relative_error: Number
    eps: float
    repeats: dict[str, int]
    note: str


class DatasetSummary(BaseModel):
    name: str
    task: Literal["classification", "regression"]
    description: str


class DatasetAnswer(Answer):
    x: list[list[float]]
    y: list[Any]


class CSVAnswer(Answer):
    x: list[list[float]]
    y: list[Any]
    columns: list[str]
    inputs: list[str]
    target: str


class PresetAnswer(BaseModel):
    name: str
    title: str
    section: str
    description: str
    network: dict[str, Any]
    claim: str | None
    lr: float | None = None
    look_at: Any = None
    x: Any = None
    y: Any = None
    inputs: Arrays | None = None


class Health(BaseModel):
    status: Literal["ok"]
