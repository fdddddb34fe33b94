from fastapi import APIRouter

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz():
    """Liveness: 200 when the server answers."""
    return {"status": "ok"}
