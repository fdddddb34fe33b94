"""Where sessions are written when BPV_DATA_DIR is not set, per platform, with no new dependency."""

from pathlib import Path

from server.store.datadir import default_data_dir, user_data_dir


def test_a_source_checkout_keeps_its_sessions_in_dot_data(tmp_path):
    (tmp_path / "server").mkdir()
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    assert default_data_dir(tmp_path) == tmp_path / ".data"


def test_outside_a_checkout_the_per_user_data_directory_is_used(tmp_path):
    assert default_data_dir(tmp_path) == user_data_dir()


def test_per_user_data_directories_follow_each_platform():
    home = Path("/home/ana")
    assert user_data_dir("linux", {}, home) == home / ".local/share/backprop-viz"
    assert user_data_dir("linux", {"XDG_DATA_HOME": "/xdg"}, home) == Path("/xdg/backprop-viz")
    assert user_data_dir("darwin", {}, home) == home / "Library/Application Support/backprop-viz"
    assert user_data_dir("win32", {"LOCALAPPDATA": r"C:\Users\ana\AppData\Local"}, home) == \
        Path(r"C:\Users\ana\AppData\Local") / "backprop-viz"


def test_tests_never_write_into_the_checkouts_data(client):
    store_path = Path(client.app.state.sessions.store.path)
    assert Path(__file__).resolve().parents[2] / ".data" not in store_path.parents
