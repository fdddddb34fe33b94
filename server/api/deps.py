"""Dependency aliases for the routes (async: they run on the event loop, no thread hop)."""

from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings
from .sessions import Sessions


async def _settings(request: Request) -> Settings:
    return request.app.state.settings


async def _sessions(request: Request) -> Sessions:
    return request.app.state.sessions


SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[Sessions, Depends(_sessions)]
