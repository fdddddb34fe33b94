from fastapi import APIRouter

from ..answers import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz():
    """Liveness: 200 when the server answers."""
    return {"status": "ok"}
