"""The session store: memory is a cache (eviction loses nothing), disk keeps every session
until its TTL, per-client quotas, and a full store refuses new sessions, never old ones."""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from api_helpers import API, make_client, session_from_preset
from server.api.quota import RateLimiter
from server.store import SessionRecord, SqliteStore

S = f"{API}/sessions"


class FakeClock:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


def test_sessions_evicted_from_memory_answer_from_disk():
    c = make_client(max_sessions=2)
    ids = [session_from_preset(c) for _ in range(4)]
    for i, sid in enumerate(ids):
        for _ in range(i):
            assert c.post(f"{S}/{sid}/step", json={"lr": 0.1}).status_code == 200
    live, _ = c.app.state.sessions.in_memory()
    assert live <= 2
    assert [c.get(f"{S}/{sid}").json()["step"] for sid in ids] == [0, 1, 2, 3]
    assert len(c.app.state.sessions) == 4


def test_a_session_rebuilt_from_disk_continues_exactly():
    # The same deterministic sequence of float64 operations on both sides, so the results
    # are bit-identical: exact equality is the point (nothing may be lost or rounded).
    cached, evicted = make_client(), make_client(max_session_memory=0)
    answers = []
    for c in (cached, evicted):
        sid = session_from_preset(c, "two-moons")
        for _ in range(3):  # minibatches: the generator's state must survive a reload
            r = c.post(f"{S}/{sid}/train", json={"steps": 4, "lr": 0.1, "batch_size": 16, "seed": 3})
            assert r.status_code == 200, r.text
        answers.append(c.get(f"{S}/{sid}").json())
    assert evicted.app.state.sessions.in_memory() == (0, 0)
    assert answers[0]["params"] == answers[1]["params"]
    assert answers[0]["loss_history"] == answers[1]["loss_history"]
    assert answers[0]["step"] == answers[1]["step"] == 12


def test_forward_then_eviction_then_backward_still_has_its_forward_pass():
    c = make_client(max_session_memory=0)
    sid = session_from_preset(c)
    assert c.post(f"{S}/{sid}/forward").status_code == 200
    back = c.post(f"{S}/{sid}/backward")
    assert back.status_code == 200, back.text
    assert back.json()["phase"] == "backward"
    assert c.post(f"{S}/{sid}/step", json={"lr": 0.1}).status_code == 200
    assert c.post(f"{S}/{sid}/backward").status_code == 409  # the step changed the params


def test_new_data_from_forward_is_kept_through_eviction():
    c = make_client(max_session_memory=0)
    sid = session_from_preset(c, "linear-warmup")
    before = c.get(f"{S}/{sid}").json()
    x = [[v * 2 for v in row] for row in before["x"]]
    assert c.post(f"{S}/{sid}/forward", json={"x": x}).status_code == 200
    assert c.get(f"{S}/{sid}").json()["x"] == x


def test_512_creations_from_one_client_do_not_evict_an_earlier_session():
    c = make_client()
    mine = session_from_preset(c, "linear-warmup")
    assert c.post(f"{S}/{mine}/step", json={"lr": 0.1}).status_code == 200
    for _ in range(512):
        assert c.post(S, json={"preset": "linear-warmup"}).status_code == 201
    r = c.get(f"{S}/{mine}")
    assert r.status_code == 200 and r.json()["step"] == 1
    assert len(c.app.state.sessions) == 513


def test_a_train_that_outlives_its_eviction_is_saved():
    c = make_client(max_sessions=1)
    sid = session_from_preset(c)
    started = threading.Event()

    def train():
        started.set()
        return c.post(f"{S}/{sid}/train", json={"steps": 3000, "lr": 0.01})

    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(train)
        started.wait()
        others = [session_from_preset(c) for _ in range(5)]  # each one evicts the LRU
        answer = job.result()
    assert answer.status_code == 200, answer.text
    got = c.get(f"{S}/{sid}").json()
    assert got["step"] == answer.json()["step"] == 3000
    assert got["params"] == answer.json()["params"]
    assert all(c.get(f"{S}/{o}").status_code == 200 for o in others)


def test_idle_sessions_expire_after_the_ttl_on_disk():
    c = make_client(session_ttl_seconds=10.0)
    clock = FakeClock()
    c.app.state.sessions.store.clock = clock
    a = session_from_preset(c)
    clock.now += 5
    b = session_from_preset(c)
    clock.now += 5  # a idle exactly 10 s: not yet expired
    assert c.get(f"{S}/{a}").status_code == 200  # ...and touched again
    clock.now += 6  # b idle 11 s, a idle 6 s
    assert c.get(f"{S}/{b}").status_code == 404
    assert c.get(f"{S}/{a}").status_code == 200
    clock.now += 10.5
    assert c.post(f"{S}/{a}/forward").status_code == 404
    assert len(c.app.state.sessions) == 0


def test_a_busy_session_does_not_expire():
    c = make_client(session_ttl_seconds=10.0)
    clock = FakeClock()
    c.app.state.sessions.store.clock = clock
    sid = session_from_preset(c)
    for _ in range(5):
        clock.now += 8
        assert c.post(f"{S}/{sid}/step", json={"lr": 0.1}).status_code == 200
    assert c.get(f"{S}/{sid}").json()["step"] == 5


def test_concurrent_steps_on_one_session_are_serialised_or_refused_as_busy():
    c = make_client()
    sid = session_from_preset(c)

    def worker(_):
        return [c.post(f"{S}/{sid}/step", json={"lr": 0.05}).status_code for _ in range(20)]

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for batch in pool.map(worker, range(8)) for s in batch]
    assert set(statuses) <= {200, 409}
    done = statuses.count(200)
    s = c.get(f"{S}/{sid}").json()
    assert s["step"] == done and len(s["loss_history"]) == done
    # the steps that ran are the same deterministic updates as one train call
    ref = session_from_preset(c)
    trained = c.post(f"{S}/{ref}/train", json={"steps": done, "lr": 0.05}).json()
    assert s["params"] == trained["params"]
    assert s["loss_history"] == trained["loss_history"]


def test_concurrent_requests_on_different_sessions_stay_isolated():
    c = make_client(max_sessions=2)  # and evicted from memory while the others run
    ids = [session_from_preset(c) for _ in range(4)]
    lrs = [0.01, 0.02, 0.05, 0.1]

    def worker(i):
        sid, lr = ids[i], lrs[i]
        for _ in range(15):
            assert c.post(f"{S}/{sid}/step", json={"lr": lr}).status_code == 200
            assert c.post(f"{S}/{sid}/forward").status_code == 200
        return c.get(f"{S}/{sid}").json()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(worker, range(4)))
    for lr, got in zip(lrs, results):
        ref = session_from_preset(c)
        trained = c.post(f"{S}/{ref}/train", json={"steps": 15, "lr": lr}).json()
        assert got["step"] == 15
        assert got["params"] == trained["params"]


def test_delete_removes_the_session_from_memory_and_disk():
    c = make_client()
    ids = [session_from_preset(c) for _ in range(3)]
    assert c.delete(f"{S}/{ids[0]}").status_code == 204
    assert c.get(f"{S}/{ids[0]}").status_code == 404
    assert c.delete(f"{S}/{ids[0]}").status_code == 404
    assert len(c.app.state.sessions) == 2


def test_sessions_per_minute_from_one_address_are_limited_with_retry_after():
    c = make_client(max_sessions_per_minute=3)
    for _ in range(3):
        session_from_preset(c)
    r = c.post(S, json={"preset": "tanh-mlp"})
    assert r.status_code == 429
    assert "BPV_MAX_SESSIONS_PER_MINUTE" in r.json()["detail"] and "3" in r.json()["detail"]
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert len(c.app.state.sessions) == 3


def test_rate_limiter_window_slides_and_counts_each_address_apart():
    clock = FakeClock(0.0)
    limiter = RateLimiter(2, clock=clock)
    assert limiter.allow("a") == (True, 0)
    clock.now = 30.0
    assert limiter.allow("a") == (True, 0)
    assert limiter.allow("a") == (False, 30)  # the first creation leaves the window at 60 s
    assert limiter.allow("b") == (True, 0)
    clock.now = 60.0
    assert limiter.allow("a") == (True, 0)


def test_a_full_store_refuses_new_sessions_and_keeps_the_old_ones(tmp_path):
    probe = make_client(data_dir=tmp_path / "probe")
    session_from_preset(probe, "linear-warmup")
    one = probe.app.state.sessions.store.stored_bytes()
    c = make_client(data_dir=tmp_path / "full", max_store_bytes=2 * one + one // 2)
    first = [session_from_preset(c, "linear-warmup") for _ in range(2)]
    r = c.post(S, json={"preset": "linear-warmup"})
    assert r.status_code == 507
    assert "BPV_MAX_STORE_BYTES" in r.json()["detail"]
    assert all(c.get(f"{S}/{f}").status_code == 200 for f in first)
    assert len(c.app.state.sessions) == 2


def test_sqlite_store_keeps_arrays_bit_for_bit_in_wal_mode(tmp_path):
    store = SqliteStore(tmp_path / "s.sqlite3", ttl_seconds=60, max_bytes=10**9)
    arrays = {"w/1": np.array([[1.5, np.nan], [np.inf, -np.inf]]), "labels": np.array([0, 2, 1]),
              "scalar": np.array(0.1)}
    store.create(SessionRecord("id1", {"step": 3, "spec": {"kind": "mlp"}}, arrays))
    got = store.get("id1")
    assert got.meta == {"step": 3, "spec": {"kind": "mlp"}}
    for name, a in arrays.items():
        assert got.arrays[name].dtype == a.dtype
        assert got.arrays[name].tobytes() == a.tobytes()
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.save(SessionRecord("gone", {}, {})) is False  # a deleted session stays gone
    assert store.get("gone") is None
