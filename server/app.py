"""The FastAPI application factory: `create_app(settings)` (tests build apps with their own limits)."""

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .api import install_error_handlers
from .api.headers import SecurityHeaders
from .api.middleware import BodyGuard
from .api.routes import api_router
from .api.routes.health import router as health_router
from .api.body_parser import BodyParser
from .api.compute import ComputePool
from .api.quota import RateLimiter
from .api.sessions import open_sessions
from .config import Settings
from .resources import STATIC
from . import docs_pages, vendor, web


@asynccontextmanager
async def _lifespan(app):
    yield
    app.state.compute.shutdown()  # the store and pools are made in create_app (tests skip lifespans)
    app.state.body_parser.shutdown()
    app.state.sessions.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        lifespan=_lifespan,
        docs_url=None, redoc_url=None,  # served from /vendor by docs_pages, to work offline
        title="backprop-viz",
        version="1.0.0",
        description="Forward and backward passes of a float64 numpy backprop engine, as JSON. "
                    "Non-finite numbers are written as the strings \"NaN\", \"Infinity\", "
                    "\"-Infinity\", and the answer then carries `\"nonfinite\": true`.",
    )
    app.state.settings = settings
    app.state.sessions = open_sessions(settings)
    app.state.compute = ComputePool(settings.compute_threads, settings.compute_queue)
    app.state.body_parser = BodyParser(settings.compute_threads + settings.compute_queue)
    app.state.creations = RateLimiter(settings.max_sessions_per_minute)
    app.add_middleware(BodyGuard, max_body_bytes=settings.max_body_bytes,
                       max_depth=settings.max_json_depth)
    install_error_handlers(app)
    app.add_middleware(SecurityHeaders)  # outermost: error answers carry the headers too
    app.include_router(health_router)
    app.include_router(api_router)
    app.include_router(web.router)
    app.include_router(docs_pages.router)
    app.include_router(vendor.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
