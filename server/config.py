"""Limits and settings, read from the environment (prefix BPV_), with sane defaults."""

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
    max_graph_nodes: int = 5000          # nodes of a `kind: "graph"` network
    max_body_bytes: int = 32 * 1024 * 1024
    max_json_depth: int = 64             # nesting of arrays/objects in a request body
    max_sessions: int = 512              # least recently used sessions are evicted beyond it
    session_ttl_seconds: float = 3600.0  # idle sessions expire after this


def get_settings():
    return Settings()
