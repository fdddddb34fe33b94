"""Dependency aliases for the routes."""

from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings
from .sessions import SessionStore


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _store(request: Request) -> SessionStore:
    return request.app.state.sessions


SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[SessionStore, Depends(_store)]
