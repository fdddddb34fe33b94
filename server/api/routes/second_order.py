"""Second-order and checking endpoints: Hessian-vector products, the full Hessian of a small
net, power iteration, a Newton step, gradient checking and the gradient's definition (nudge)."""

import numpy as np
from fastapi import APIRouter

from ...engine import SpecError
from ...engine.analysis.gradcheck import gradcheck
from ...engine.analysis.hvp import full_hessian, hvp_check, hvp_report, newton_step, top_eigenvalue
from ...engine.analysis.nudge import nudge
from ..compute import ComputeRoute
from ..deps import SettingsDep
from ..encoding import StrictJSONResponse
from ..answers import (COMPUTE, EigenAnswer, GradcheckAnswer, HessianAnswer, HVPAnswer,
                       NewtonAnswer, NudgeAnswer)
from ..runs import build_run
from ..schemas import (EigenRequest, GradcheckRequest, HessianRequest, HVPRequest, NewtonRequest,
                       NudgeRequest)

router = APIRouter(tags=["second order and checks"], route_class=ComputeRoute, responses=COMPUTE)


def _direction(model, body):
    if body.v is not None:
        return body.v
    if body.direction == "random":
        rng = np.random.default_rng(body.seed)
        return {k: rng.normal(size=np.shape(p)) for k, p in model.params.items()}
    return None  # hvp_report: along the gradient


@router.post("/hvp", response_class=StrictJSONResponse, responses={200: {"model": HVPAnswer}})
def hvp(body: HVPRequest, settings: SettingsDep):
    """Exact Hv by forward-over-reverse (Pearlmutter's R-operator), H never formed."""
    model, leaves = build_run(body.network, body, settings)
    v = _direction(model, body)
    report = hvp_report(model, leaves, v)
    report["v"] = report["param_grads"] if v is None else v
    if body.check:
        report["check"] = hvp_check(model, leaves, report["v"], body.eps)
    return StrictJSONResponse(report)


@router.post("/gradcheck", response_class=StrictJSONResponse,
             responses={200: {"model": GradcheckAnswer}})
def check_gradients(body: GradcheckRequest, settings: SettingsDep):
    """Central finite differences against backprop, per parameter and per node."""
    model, leaves = build_run(body.network, body, settings)
    return StrictJSONResponse(gradcheck(model, leaves, eps=body.eps, max_entries=body.max_entries,
                                        nodes=body.nodes, seed=body.seed))


@router.post("/nudge", response_class=StrictJSONResponse, responses={200: {"model": NudgeAnswer}})
def nudge_weight(body: NudgeRequest, settings: SettingsDep):
    """f(W + δ) − f(W) next to the first-order prediction ⟨∂f/∂W, δ⟩ (the lecture's eqs. 1–2)."""
    model, leaves = build_run(body.network, body, settings)
    return StrictJSONResponse(nudge(model, leaves, body.param, body.delta, body.index))


@router.post("/hessian", response_class=StrictJSONResponse,
             responses={200: {"model": HessianAnswer}})
def hessian(body: HessianRequest, settings: SettingsDep):
    """The full Hessian of a small net (≤ 200 parameters), by HVPs with unit vectors."""
    model, leaves = build_run(body.network, body, settings)
    return StrictJSONResponse(full_hessian(model, leaves))


@router.post("/eigen", response_class=StrictJSONResponse, responses={200: {"model": EigenAnswer}})
def eigen(body: EigenRequest, settings: SettingsDep):
    """The eigenvalue of largest magnitude by power iteration on HVPs, with its history."""
    model, leaves = build_run(body.network, body, settings)
    value, history = top_eigenvalue(model, leaves, iters=body.iters, seed=body.seed)
    return StrictJSONResponse({"eigenvalue": value, "history": history})


@router.post("/newton", response_class=StrictJSONResponse,
             responses={200: {"model": NewtonAnswer}})
def newton(body: NewtonRequest, settings: SettingsDep):
    """One (damped) Newton step on a small net, next to what it predicts (not applied)."""
    model, leaves = build_run(body.network, body, settings)
    try:
        return StrictJSONResponse(newton_step(model, leaves, damping=body.damping))
    except np.linalg.LinAlgError:
        raise SpecError(("network",), "the Hessian is not finite here: no Newton step") from None
