"""Per-document results kept from one build to the next in a long-running process.

The preview server rebuilds an archive in which one document changed. Work done for
each document alone (its entity keys, its rows of the CSV exports) is then done again
for thousands of documents whose inputs are the very objects the last build had:
BuildMemory keeps unchanged documents and annotations as they were. A Reuse hands
back the last result while its inputs are those same objects. Identity, not
equality: comparing the inputs would cost about what remaking the result does.
The source store (source_store.py) offers the entity keys an earlier process made
for the documents and annotations it loads, so `archivist build` reuses them too.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from operator import is_
from typing import Generic, TypeVar

T = TypeVar("T")


class Reuse(Generic[T]):
    """key (a document id, ...) -> the result made from some inputs, while they are the same objects."""

    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[tuple[object, ...], T]] = {}
        self._now: dict[Hashable, tuple[tuple[object, ...], T]] = {}

    def next_build(self) -> None:
        """Start a build: what the last build did not use is forgotten."""
        if self._now:  # else the last build used nothing (it stopped early): keep the one before
            self._last, self._now = self._now, {}

    def get(self, key: Hashable, inputs: tuple[object, ...], make: Callable[[], T]) -> T:
        """The result for key, made by make unless the last one came from these inputs."""
        kept = self._now.get(key) or self._last.get(key)
        result = kept[1] if kept is not None and _same(kept[0], inputs) else make()
        self._now[key] = (inputs, result)
        return result

    def offer(self, key: Hashable, inputs: tuple[object, ...], result: T) -> None:
        """A result made from these inputs by an earlier process (source_store.py), for
        the next build to use as if the last build had made it."""
        self._last[key] = (inputs, result)

    def made(self, key: Hashable, inputs: tuple[object, ...]) -> T | None:
        """This build's result for key, if it came from these inputs; else None."""
        kept = self._now.get(key)
        return kept[1] if kept is not None and _same(kept[0], inputs) else None

    def same(self, key: Hashable, value: T) -> T:
        """The last result for key when it equals value, else value: equal results made
        again are replaced by the very objects the last build had, so that work keyed
        on them is reused in turn."""
        kept = self._now.get(key) or self._last.get(key)
        result = kept[1] if kept is not None and (kept[1] is value or kept[1] == value) else value
        self._now[key] = ((), result)
        return result


def _same(inputs: tuple[object, ...], others: tuple[object, ...]) -> bool:
    return len(inputs) == len(others) and all(map(is_, inputs, others))  # twice a generator's speed
