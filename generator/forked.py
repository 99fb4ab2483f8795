"""Work done in a forked process while this one goes on, so that a build uses both cores without the cost
of starting a worker (a fork of a process that has imported everything takes a few milliseconds). What
the work returns comes back through a pipe, marshalled: bytes, strings, numbers, lists, tuples, dicts.

Where there is no fork, other threads run (a fork would copy their locks), the fork fails (a limit on
processes or memory), or the child gives no answer (its work raised, it was killed), the work is done in
this process when its result is asked for, and raises here what it raises."""

from __future__ import annotations

import marshal
import mmap
import os
import signal
import threading
from typing import Any, Callable, Iterator

# Whether forks may be made at all (the tests turn them off to check that the work done in place answers
# the same).
ENABLED = True


class Forked:
    """``work()`` in a forked process; ``result()`` waits for what it returned, ``cancel()`` stops it."""

    def __init__(self, work: Callable[[], Any], fork: bool = True):
        """``fork`` False: the work is done here, when its result is asked for."""
        self.work = work
        self.pid = 0
        self.pipe = -1
        self.done = False
        self.value: Any = None
        self.status = -1  # the child's exit status once reaped (0: it answered)
        self.answered = False  # whether result() is the child's answer (False: the work was done here)
        if not (fork and ENABLED and hasattr(os, "fork") and threading.active_count() == 1):
            return
        read, write = os.pipe()
        # Ctrl-C is held back across the fork (and in the child until it is inside its try), so that no
        # KeyboardInterrupt can leave the child running the parent's code.
        held = hasattr(signal, "pthread_sigmask")
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if held else None
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:  # the child: answer, and leave without running anything of the parent's (atexit, buffers)
            code = 1
            try:
                if held:
                    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                os.close(read)
                view = memoryview(marshal.dumps(work()))
                while view:
                    view = view[os.write(write, view):]
                code = 0
            except BaseException:  # (the parent does the work itself, and sees the error)
                pass
            finally:
                os._exit(code)
        os.close(write)
        if pid > 0:
            self.pid, self.pipe = pid, read
        else:  # (no process to spare: a limit on processes, or on memory): the work is done here
            os.close(read)
        if held:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    @property
    def forked(self) -> bool:
        """Whether the work runs in another process (False: result() will do it here)."""
        return self.pid != 0

    def result(self) -> Any:
        if self.done:
            return self.value
        answered = False
        if self.pid:
            chunks = []
            try:
                while chunk := os.read(self.pipe, 1 << 20):
                    chunks.append(chunk)
            except BaseException:  # (e.g. Ctrl-C): the child goes too
                self.cancel_child(kill=True)
                raise
            self.cancel_child(kill=False)
            answered = self.status == 0
            if answered:
                try:
                    self.value = marshal.loads(b"".join(chunks))
                except (EOFError, ValueError, TypeError):
                    answered = False
        self.answered = answered
        if not answered:
            self.value = self.work()
        self.done = True
        return self.value

    def cancel(self) -> None:
        """The result is not needed: the child is stopped and reaped (and nothing is done here)."""
        self.cancel_child(kill=True)
        self.done = True

    def cancel_child(self, kill: bool) -> None:
        self.status = -1
        if not self.pid:
            return
        pid, self.pid = self.pid, 0
        os.close(self.pipe)
        try:
            if kill:
                os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            self.status = os.waitstatus_to_exitcode(status)
        except OSError:  # (reaped elsewhere, SIGCHLD ignored): no answer
            pass


class Ends:
    """The indexes 0 to ``count - 1`` shared out between this process, which takes them from the front
    (``front``), and a forked one, which takes them from ``back`` down (``back``), until they meet: so
    both finish together, however long each item and each process's other work takes.

    Each process writes only its own end, in memory both share (before the fork): the front's next index
    and the last index the back announced. The front takes an index only while it reads that the back has
    not announced it, and announces it after; the back announces an index first, and takes it unless it
    reads that the front has announced it. Reading the other's end late only makes a process take one index
    more, which the other may take too (it is then done twice: the caller keeps the front's below
    ``front_end`` and the back's from there on); no index is left to neither. The back is run here, after
    the front, when the forked process gave no answer: it then takes what the front left."""

    def __init__(self, count: int, back: int | None = None):
        """``back``: the indexes from there on are the back's from the start (count: none)."""
        self.count = count
        self.start = count if back is None else back
        self.ends: memoryview | list[int]
        try:
            memory = mmap.mmap(-1, 8)  # (anonymous and shared: a forked process writes where this one reads)
            self.ends = memoryview(memory).cast("i")
        except (OSError, ValueError):  # (no memory to share: the back then takes all it can, done twice)
            self.ends = [0, 0]
        self.ends[0], self.ends[1] = 0, self.start

    def front(self) -> Iterator[int]:
        index = 0
        while index < self.ends[1]:
            self.ends[0] = index + 1
            yield index
            index += 1

    def back(self) -> Iterator[int]:
        """The reserved indexes (from ``back`` on, in order), then from ``back - 1`` down to the front."""
        yield from range(self.start, self.count)
        index = self.start - 1
        while index >= 0:
            self.ends[1] = index
            if index < self.ends[0]:
                return
            yield index
            index -= 1

    @property
    def front_end(self) -> int:
        """How far the front went: the indexes below are the front's, the others the back's."""
        return self.ends[0]
