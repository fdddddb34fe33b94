from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from pydantic import Field

from ...engine.data.export_graph import graph_script
from ...engine.data.export_numpy import export_script
from ..compute import ComputeRoute
from ..deps import SettingsDep
from ..answers import COMPUTE
from ..runs import build_run
from ..schemas import BackpropRequest, Float, Int

router = APIRouter(prefix="/export", tags=["export"], route_class=ComputeRoute, responses=COMPUTE)


class ExportRequest(BackpropRequest):
    lr: Float = Field(0.1, gt=0)
    steps: Int = Field(0, ge=0, le=100_000)


@router.post("/numpy", response_class=PlainTextResponse,
             responses={200: {"content": {"text/x-python": {"schema": {"type": "string"}}},
                              "description": "a Python script"}})
def export_numpy(body: ExportRequest, settings: SettingsDep):
    """A standalone NumPy script that reproduces this run's loss: for an MLP with its backward
    pass and `steps` updates written out; for a graph or an RNN, its computation graph node by
    node (unrolled in time for an RNN), printing f."""
    model, leaves = build_run(body.network, body, settings)
    if model.kind == "mlp":
        x, y = leaves.get("a0"), leaves.get("y")
        script = export_script(model.spec, model.params, x, y, lr=body.lr, steps=body.steps)
    else:
        script = graph_script(model, leaves, title=f"a {model.kind} network")
    return PlainTextResponse(script, media_type="text/x-python", headers={
        "Content-Disposition": 'attachment; filename="backprop_run.py"'})
