"""POST /cost: backprop against central finite differences, timed on the server.

The browser cannot time this itself: each request's HTTP overhead (~1 ms) would hide a
backprop that takes microseconds. A request is bounded: at most MAX_PARAMS parameters,
MAX_BATCH examples and a budget of at most 1 s of finite differences (beyond it the
time for all parameters is extrapolated, and the answer says so).
"""

from fastapi import APIRouter
from pydantic import ConfigDict, Field

from ...engine import LimitError
from ...engine.analysis.cost import measure_cost
from ..compute import ComputeRoute
from ..deps import SettingsDep
from ..encoding import StrictJSONResponse
from ..answers import COMPUTE, CostAnswer
from ..runs import build_run
from ..schemas import EXAMPLE, Float, Int, RunRequest

router = APIRouter(tags=["second order and checks"], route_class=ComputeRoute, responses=COMPUTE)

MAX_PARAMS = 50_000
MAX_BATCH = 256


class CostRequest(RunRequest):
    """A network and its data, and how long the measurement may take."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**EXAMPLE, "budget_ms": 200}]})
    budget_ms: Int = Field(300, ge=10, le=1000,
                           description="time for the whole measurement; finite differences "
                                       "beyond it are extrapolated from the entries timed")
    eps: Float = Field(1e-6, gt=0, lt=1, description="ε of the central differences")
    seed: Int = Field(0, ge=0, description="the order (sample) of the entries timed")

    def work(self, model, cost):
        # The finite differences stop at budget_ms; what runs regardless is one timed
        # forward, one backprop and the first entry's two forwards.
        return 3 * cost.forward + cost.work, "timing backprop against finite differences"


def _check_size(model, leaves):
    n = sum(int(p.size) for p in model.params.values())
    if n > MAX_PARAMS:
        raise LimitError(("network",), f"{n} parameters: /cost times at most {MAX_PARAMS}",
                         "COST_MAX_PARAMS")
    batch = max((v.shape[0] for v in leaves.values() if getattr(v, "ndim", 0) > 0), default=1)
    if batch > MAX_BATCH:
        raise LimitError(("x",), f"a batch of {batch}: /cost times at most {MAX_BATCH} examples",
                         "COST_MAX_BATCH")


@router.post("/cost", response_class=StrictJSONResponse, responses={200: {"model": CostAnswer}})
def cost(body: CostRequest, settings: SettingsDep):
    """Seconds and forward passes of one backprop against central finite differences (2P
    forward passes), with backprop checked against the finite differences timed."""
    model, leaves = build_run(body.network, body, settings)
    _check_size(model, leaves)
    return StrictJSONResponse(measure_cost(model, leaves, budget_s=body.budget_ms / 1000,
                                           eps=body.eps, seed=body.seed))
