from fastapi import APIRouter

from ... import engine
from ..compute import ComputeRoute
from ..deps import SettingsDep
from ..encoding import StrictJSONResponse
from ..runs import build_run, clip_of, gradients_only, wants_contribution_arrays, with_detail
from ..answers import COMPUTE
from ..schemas import BackpropRequest, TraceResponse

router = APIRouter(tags=["backprop"], route_class=ComputeRoute, responses=COMPUTE)


@router.post("/backprop", response_class=StrictJSONResponse,
             responses={200: {"model": TraceResponse}})
def backprop(body: BackpropRequest, settings: SettingsDep):
    """One forward and one backward pass, stateless: every node's value and gradient."""
    model, leaves = build_run(body.network, body, settings)
    build, full = wants_contribution_arrays(model, body.detail, settings)
    compact = body.detail == "gradients"  # no per-node arrays: an RNN makes no per-step views
    trace = engine.backprop(model, leaves, clip_of(body), contributions=build, per_node=not compact)
    if compact:
        return StrictJSONResponse(gradients_only(trace))
    return StrictJSONResponse(with_detail(trace, full))
