from fastapi import APIRouter

from ... import engine
from ..deps import SettingsDep
from ..encoding import StrictJSONResponse
from ..runs import build_run, clip_of, with_detail
from ..schemas import BackpropRequest, TraceResponse

router = APIRouter(tags=["backprop"])


@router.post("/backprop", response_class=StrictJSONResponse,
             responses={200: {"model": TraceResponse}})
def backprop(body: BackpropRequest, settings: SettingsDep):
    """One forward and one backward pass, stateless: every node's value and gradient."""
    model, leaves = build_run(body.network, body, settings)
    trace = engine.backprop(model, leaves, clip_of(body))
    return StrictJSONResponse(with_detail(trace, body.detail))
