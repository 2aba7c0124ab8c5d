"""Group commit: batches handed in by the threads of one process while a commit runs are committed together.

A live commit costs about the same for one document as for a hundred (the
engine fsyncs each new file of its segment, then the manifest is replaced
and fsynced), so while one thread holds the write lock and commits, or
waits for it, the batches other threads submit wait in a queue; the next of
them to hold the lock commits the whole queue as one batch, and every batch
in it is acknowledged after that commit, as in PostgreSQL's group commit.
Nothing is acknowledged before its commit is durable, a group is one commit
(readers see all of its batches or none), and processes still take the
write lock in turn. If the commit fails, every batch of its group gets the
error.
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable, ContextManager, Generic, Hashable, TypeVar

B = TypeVar("B")
R = TypeVar("R")


def _unlocked(seconds: float) -> ContextManager:
    return nullcontext()


@dataclass
class _Submitted(Generic[B, R]):
    batch: B
    deadline: float  # time.monotonic() past which it no longer waits for the lock
    outcome: R | None = None
    error: BaseException | None = None
    done: bool = False


class GroupCommit(Generic[B, R]):
    """One queue of batches; the thread that commits runs its own `commit(batches) -> outcomes` (one per batch, in order)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._queue: list[_Submitted[B, R]] = []
        self._committing = False

    @property
    def waiting(self) -> int:
        """Batches queued for the next commit."""
        with self._changed:
            return len(self._queue)

    @property
    def committing(self) -> bool:
        """A thread is committing a group now (or waiting for the write lock to)."""
        with self._changed:
            return self._committing

    def submit(
        self, batch: B, commit: Callable[[list[B]], list[R]], hold: Callable[[float], ContextManager] = _unlocked,
        wait: float = float("inf"),
    ) -> R:
        """`batch`'s outcome once the commit that carried it returned; its error if that commit failed.

        The thread that commits enters `hold(seconds)` (the write lock, waited
        for up to what is left of its own `wait`) first, then takes the queue:
        batches that arrive while it waits for the lock join its commit. If
        `hold` fails, its batch fails, with the queued batches whose wait is
        over too; the next queued thread tries in turn.
        """
        mine = _Submitted(batch, time.monotonic() + wait)
        with self._changed:
            self._queue.append(mine)
            while self._committing and not mine.done:
                self._changed.wait()
            if mine.done:
                return self._outcome(mine)
            self._committing = True
        group: list[_Submitted[B, R]] = []
        try:
            with hold(max(0.0, mine.deadline - time.monotonic())):
                with self._changed:
                    group, self._queue = self._queue, []
                outcomes = commit([s.batch for s in group])
                for submitted, outcome in zip(group, outcomes, strict=True):
                    submitted.outcome = outcome
        except BaseException as exc:
            if not group:  # the lock was not had
                now = time.monotonic()
                with self._changed:
                    group = [s for s in self._queue if s is mine or s.deadline <= now]
            for submitted in group:
                submitted.error = exc
        finally:
            with self._changed:
                for submitted in group:
                    submitted.done = True
                self._queue = [s for s in self._queue if not s.done]
                self._committing = False
                self._changed.notify_all()
        return self._outcome(mine)

    @staticmethod
    def _outcome(submitted: _Submitted[B, R]) -> R:
        if submitted.error is not None:
            raise submitted.error
        return submitted.outcome  # type: ignore[return-value]


_groups: dict[tuple[int, Hashable], GroupCommit] = {}
_groups_lock = threading.Lock()


def group_for(key: Hashable) -> GroupCommit:
    """This process's queue for `key` (which lock, which index); a forked child starts its own."""
    with _groups_lock:
        return _groups.setdefault((os.getpid(), key), GroupCommit())


def _after_fork() -> None:
    # A thread of the parent may have held the lock at the fork; the child's copy would stay locked.
    global _groups_lock
    _groups_lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork)
