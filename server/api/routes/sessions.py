from typing import Literal

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import TypeAdapter

from ... import engine
from ...engine.core.cost_model import model_cost
from ...engine.data.minibatch import Minibatches
from ...presets import get_preset
from ...store import StoreFull
from .. import limits
from ..compute import ComputeRoute, current_budget
from ..deps import SettingsDep, StoreDep
from ..answers import (BAD_HTTP, BODY, NOT_FOUND, BackwardAnswer, ForwardAnswer, PredictAnswer,
                       SessionAnswer, StepAnswer, TrainAnswer)
from ..encoding import StrictJSONResponse
from ..errors import unprocessable
from ..sessions import as_stored
from ..runs import build_run, clip_of, wants_contribution_arrays, with_detail
from ..schemas import (ForwardRequest, Network, PredictRequest, SessionCreate, StepRequest,
                       TrainRequest)

# Every route runs in the compute pool and holds its session's lease (compute.py): a request
# on a busy session is answered 409 at once, and no two requests touch one session together.
router = APIRouter(prefix="/sessions", tags=["sessions"], route_class=ComputeRoute,
                   responses={**BAD_HTTP, **NOT_FOUND,
                              409: {"description": "session busy (another request on it is running)"},
                              503: {"description": "the compute queue is full; retry"}})
_network = TypeAdapter(Network)


def _get(store, session_id):
    session = store.checkout(session_id)
    if session is None:
        raise HTTPException(404, f"unknown session {session_id!r} (it may have expired)")
    return session


def _allow_creation(request, settings):
    allowed, retry_after = request.app.state.creations.allow(
        request.client.host if request.client else "unknown")
    if not allowed:
        raise HTTPException(429, f"too many new sessions from this address: at most "
                                 f"{settings.max_sessions_per_minute} a minute "
                                 "(BPV_MAX_SESSIONS_PER_MINUTE); retry later",
                            headers={"Retry-After": str(retry_after)})


def _describe(session):
    model = session.model
    return {"id": session.id, "network": model.spec, "params": model.params,
            "step": session.step, "loss_history": session.loss_history, **session.raw_data}


@router.post("", status_code=201, response_class=StrictJSONResponse,
             responses={201: {"model": SessionAnswer}, **BODY,
                        429: {"description": "too many new sessions from this address"},
                        507: {"description": "the session store is full"}})
def create(body: SessionCreate, store: StoreDep, settings: SettingsDep, request: Request):
    """A stateful run to step through: from `network`, `x`, `y` or from a `preset` name."""
    _allow_creation(request, settings)
    if (body.preset is None) == (body.network is None):
        raise unprocessable(["body", "preset"], "give either 'preset' or 'network' (with x, y)")
    data = body
    if body.preset is not None:
        preset = get_preset(body.preset)
        if preset is None:
            raise unprocessable(["body", "preset"], f"unknown preset {body.preset!r}")
        network = _network.validate_python(preset["network"])
        data = ForwardRequest(**{k: preset[k] for k in ("x", "y", "inputs") if k in preset})
    else:
        network = body.network
    model, leaves = build_run(network, data, settings)
    raw = {k: getattr(data, k) for k in ("x", "y", "inputs") if getattr(data, k) is not None}
    try:
        session = store.create(model, leaves, raw)
    except StoreFull as full:
        raise HTTPException(507, f"no room for a new session: {full}") from None
    return StrictJSONResponse(_describe(session), status_code=201)


@router.get("/{session_id}", response_class=StrictJSONResponse,
            responses={200: {"model": SessionAnswer}})
def read(session_id: str, store: StoreDep):
    """Its network, current params, step count and loss history."""
    return StrictJSONResponse(_describe(_get(store, session_id)))


@router.post("/{session_id}/forward", response_class=StrictJSONResponse,
             responses={200: {"model": ForwardAnswer}, **BODY})
def forward(session_id: str, store: StoreDep, settings: SettingsDep,
            body: ForwardRequest | None = None):
    """The forward trace on the current params (optionally on new x, y)."""
    session = _get(store, session_id)
    new_data = body is not None and (body.x is not None or body.y is not None
                                     or body.inputs is not None)
    if new_data:
        x = body.x if body.x is not None else session.raw_data.get("x")
        y = body.y if body.y is not None else session.raw_data.get("y")
        limits.check_data(session.model.spec, x, settings, 0)
        leaves = session.model.leaves_from(x, y, body.inputs)  # shapes inferred, none computed
        cost = model_cost(session.model, leaves)
        limits.check_cost(cost, cost.work, settings, "a forward and backward pass")
        session.leaves = leaves
        session.raw_data = {k: as_stored(v) for k, v in (("x", x), ("y", y), ("inputs", body.inputs))
                            if v is not None}
    trace = engine.forward_trace(session.model, session.leaves)
    session.values, session.forwarded = trace["values"], True
    store.save(session, arrays=new_data)
    return StrictJSONResponse({"phase": "forward", "step": session.step, **trace})


@router.post("/{session_id}/backward", response_class=StrictJSONResponse,
             responses={200: {"model": BackwardAnswer}, **BODY,
                        409: {"description": "no forward pass since the last change, or the "
                                             "session is busy"}})
def backward(session_id: str, store: StoreDep, settings: SettingsDep,
             detail: Literal["full", "summary"] | None = None):
    """The backward trace of the last forward pass."""
    session = _get(store, session_id)
    values = session.forward_values(engine.forward_trace)
    if values is None:
        raise HTTPException(409, "no forward pass since the last change: "
                                 "POST .../forward first")
    build, full = wants_contribution_arrays(session.model, detail, settings)
    trace = engine.backward_trace(session.model, values, contributions=build)
    return StrictJSONResponse({"phase": "backward", "step": session.step,
                               **with_detail(trace, full)})


def _changed(session):
    """After an update: the last forward pass no longer describes the params."""
    session.values, session.forwarded = None, False


@router.post("/{session_id}/step", response_class=StrictJSONResponse,
             responses={200: {"model": StepAnswer}, **BODY})
def step(session_id: str, body: StepRequest, store: StoreDep):
    """One gradient-descent update W ← W − lr·∂f/∂W (with optional clipping)."""
    session = _get(store, session_id)
    model = session.model
    params_before = model.params
    loss, grads, report = model.gradient_step(session.leaves, body.lr, clip_of(body))
    session.step += 1
    session.loss_history.append(loss)
    _changed(session)
    store.save(session)
    loss_after, _ = model.loss_and_grads(session.leaves)
    answer = {"phase": "update", "step": session.step, "lr": body.lr, "loss": loss,
              "loss_after": loss_after, "params_before": params_before,
              "params": model.params, "param_grads": grads}
    if report is not None:
        answer["clipping"] = report
    return StrictJSONResponse(answer)


def _batches(session, body):
    """The session's Minibatches for this batch size (kept between calls), or None."""
    if body.batch_size is None:
        return None
    if (session.batches is None or session.batches.batch_size != body.batch_size
            or session.batches.leaves is not session.leaves):
        session.batches = Minibatches(session.leaves, body.batch_size, body.seed)
    return session.batches


@router.post("/{session_id}/train", response_class=StrictJSONResponse,
             responses={200: {"model": TrainAnswer}, **BODY})
def train(session_id: str, body: TrainRequest, store: StoreDep, settings: SettingsDep):
    """Up to `steps` updates (it stops at a non-finite loss, see Model.train, or when the
    request's time budget runs out or its client leaves: then `stopped` says why and the
    steps done are kept); the loss before each one, and the loss after the last."""
    session = _get(store, session_id)
    model = session.model
    limits.check_train(body.steps, model.training_cost(session.leaves, body.batch_size), settings)
    budget = current_budget()
    losses, norms, divergence = model.train(session.leaves, body.steps, body.lr, clip_of(body),
                                            _batches(session, body), first_step=session.step,
                                            budget=budget)
    session.step += model.updates_applied(losses, divergence)
    session.loss_history.extend(losses)
    _changed(session)
    store.save(session)  # before anything else can fail: the steps done are kept
    final_loss, _ = model.loss_and_grads(session.leaves)
    answer = {"step": session.step, "loss_history": losses, "final_loss": final_loss,
              "params": model.params, "divergence": divergence}
    if body.clip is not None:
        answer["clip_norms_before"] = norms
    if budget.stopped is not None:
        answer["stopped"] = {**budget.stopped, "steps_done": len(losses),
                             "steps_asked": body.steps}
    return StrictJSONResponse(answer)


@router.post("/{session_id}/predict", response_class=StrictJSONResponse,
             responses={200: {"model": PredictAnswer}, **BODY})
def predict(session_id: str, body: PredictRequest, store: StoreDep, settings: SettingsDep):
    """The MLP's layers a_1 … a_d on new inputs (e.g. a grid, for a decision boundary and
    per-unit heat maps), and the output as a probability for bce / cross_entropy."""
    session = _get(store, session_id)
    model = session.model
    if model.kind_record.predict is None:
        raise unprocessable(["path", "session_id"], "predict is for kind 'mlp' networks")
    limits.check_data(model.spec, body.x, settings, 0)
    return StrictJSONResponse(model.predict_answer(body.x))


@router.delete("/{session_id}", status_code=204)
def delete(session_id: str, store: StoreDep):
    """Forget a session (from memory and from the store)."""
    if not store.delete(session_id):
        raise HTTPException(404, f"unknown session {session_id!r}")
    return Response(status_code=204)
