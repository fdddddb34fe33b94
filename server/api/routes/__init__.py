"""All JSON routes under /api/v1."""

from fastapi import APIRouter

from ..answers import METHOD

from . import backprop, cost, datasets, export, lessons, options, presets, second_order, sessions

api_router = APIRouter(prefix="/api/v1", responses=METHOD)
api_router.include_router(backprop.router)
api_router.include_router(sessions.router)
api_router.include_router(presets.router)
api_router.include_router(lessons.router)
api_router.include_router(datasets.router)
api_router.include_router(export.router)
api_router.include_router(second_order.router)
api_router.include_router(cost.router)
api_router.include_router(options.router)  # last: only a path's own routes come before it
