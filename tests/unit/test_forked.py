"""forked.Forked: work done in a forked process answers as the work done in place would."""

from __future__ import annotations

import os
import random
import signal
import time

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


def take(ends: forked.Ends, side: str, seed: int) -> list[int]:
    """The indexes one end takes, each held a little while (a few microseconds to a millisecond)."""
    rng = random.Random(seed)
    taken = []
    for index in (ends.front() if side == "front" else ends.back()):
        taken.append(index)
        time.sleep(rng.choice([0, 0, 0.0001, 0.001]))
    return taken


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "no-shared-memory"])
@pytest.mark.parametrize("reserved", [0, 3])
def test_two_processes_taking_from_both_ends_leave_no_index_to_neither(reserved, shared, monkeypatch):
    """forked.Ends: the front's indexes are those below front_end, the back's (in the forked process) cover
    the others, whatever the two take in the meantime; the reserved last ones are the back's. Without
    memory to share, each process sees only its own end: the back then takes everything it can."""
    if not shared:
        monkeypatch.setattr(forked.mmap, "mmap", lambda *args: (_ for _ in ()).throw(OSError(12, "no memory")))
    for trial in range(25):
        count = 1 + trial * 3
        ends = forked.Ends(count, max(count - reserved, 0))
        child = Forked(lambda: take(ends, "back", trial))
        front = take(ends, "front", trial + 100)
        back = child.result()
        assert child.answered
        assert front == list(range(ends.front_end)) and ends.front_end <= max(count - reserved, 0)
        assert set(range(ends.front_end, count)) <= set(back)
        assert back[:min(reserved, count)] == list(range(max(count - reserved, 0), count))


def test_the_back_taken_here_after_a_forked_process_that_gave_no_answer_takes_what_the_front_left():
    ends = forked.Ends(10, 8)
    ends.ends[1] = 5  # (as if the forked process had announced index 5 and died)
    assert list(ends.front()) == [0, 1, 2, 3, 4] and ends.front_end == 5
    assert list(ends.back()) == [8, 9, 7, 6, 5]
    alone = forked.Ends(4, 3)  # (and where nothing was forked: the front takes all but the reserved)
    assert list(alone.front()) == [0, 1, 2] and list(alone.back()) == [3]

