"""forked.Forked: work done in a forked process answers as the work done in place would."""

from __future__ import annotations

import os
import signal

import pytest

from generator import forked
from generator.forked import Forked


@pytest.fixture(autouse=True)
def alone(monkeypatch):
    """Forked forks only a process with one thread (a fork copies the locks other threads hold): threads
    other tests of the session left running do not touch what these forks do."""
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)


def test_the_child_s_answer_comes_back_whole():
    data = {"a.html": b"x" * 300_000, "n": [1, 2.5, None, ("t", True)]}  # (more than a pipe holds at once)
    assert Forked(lambda: True).result() is True and Forked(lambda: False).result() is False
    forked = Forked(lambda: data)
    assert forked.forked and forked.result() == data


def test_when_the_child_gives_no_answer_the_work_is_done_here():
    """Its work raised there, or it was killed: the work is done here, and raises here what it raises."""
    parent = os.getpid()
    done_here: list[str] = []

    def fails_in_the_child():
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        done_here.append("redone")
        return "answer"

    def killed_in_the_child():
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        done_here.append("redone")
        return "answer"

    assert Forked(fails_in_the_child).result() == "answer" and Forked(killed_in_the_child).result() == "answer"
    assert done_here == ["redone", "redone"]
    with pytest.raises(ZeroDivisionError):
        Forked(lambda: 1 / 0).result()


def test_when_no_process_can_be_forked_the_work_is_done_here_when_asked_for(monkeypatch):
    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    checked: list[bool] = []
    forked = Forked(lambda: checked.append(True) or True)
    assert not forked.forked and checked == [] and forked.result() is True and checked == [True]
    cancelled = Forked(lambda: checked.append(False))
    cancelled.cancel()  # (nothing to stop, and nothing is done)
    assert checked == [True]


def test_a_cancelled_child_is_stopped_and_reaped():
    waiting = Forked(lambda: signal.pause())
    pid = waiting.pid
    assert pid > 0
    waiting.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # (reaped already: no zombie left)
