"""Shared by the unit tests."""
import pytest


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    """The learner's progress file, pointed at a folder of a temporary directory that does not exist
    yet (the writer must make it); returns its path."""
    path = tmp_path / "sub" / "progress.json"
    monkeypatch.setenv("RNN_EDU_PROGRESS", str(path))
    return path
