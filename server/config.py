"""Limits and settings, read from the environment (prefix BPV_), with sane defaults."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BPV_")

    max_params: int = 2_000_000          # parameters in one network
    max_batch: int = 4096                # examples m in one request
    max_values: int = 20_000_000         # floats held by one trace (activations + grads)
    max_steps: int = 5000                # RNN time steps T
    max_train_steps: int = 20_000        # steps of one /train call
    max_train_work: float = 5e10         # steps × (params + activations) of one /train call
    max_sweep_work: float = 5e9          # multiply-adds of one RNN backward sweep (truncation is O(T·k))
    max_graph_nodes: int = 5000          # nodes of a `kind: "graph"` network (and of an MLP's graph)
    # Multiply-adds of one request, estimated before it starts (server/engine/cost_model.py):
    # this machine does 2.3e10 a second idle, ~1.1e10 when its 2 cores are shared
    # (bench/guards_and_cost.py), so the heaviest accepted request takes 13–27 s.
    max_request_work: float = 3e11
    max_body_bytes: int = 32 * 1024 * 1024
    max_json_depth: int = 64             # nesting of arrays/objects in a request body
    parse_in_process_bytes: int = 256 * 1024  # larger JSON bodies are parsed off the event loop
    # Sessions (server/store, server/api/sessions.py): every session is on disk; memory is a cache.
    data_dir: Path | None = None         # BPV_DATA_DIR; None: ./.data in a checkout, else per user
    session_ttl_seconds: float = 7 * 24 * 3600.0  # sessions idle this long are deleted from disk
    max_session_memory: int = 2 * 1024**3  # bytes of live sessions cached in memory
    max_sessions: int = 512              # live sessions cached in memory (more stay on disk)
    max_store_bytes: int = 20 * 1024**3  # stored sessions; new ones are refused (507) beyond it
    max_sessions_per_minute: int = 600   # sessions one client address may create per minute
    # Compute (server/api/compute.py): heavy work in a bounded pool, every request bounded in time.
    compute_threads: int = 2             # threads running the engine
    # Requests waiting for them; beyond it 503. A class opening a scene together is hundreds
    # of small requests in one second (300 students behind one address must all start), and
    # a waiting request holds no thread and counts its wait against its time budget.
    compute_queue: int = 512
    max_request_seconds: float = 30.0    # wall-clock budget, checked inside the engine's loops
    max_answer_bytes: int = 128 * 1024**2  # JSON text of one answer (estimated before encoding)


def get_settings():
    return Settings()
