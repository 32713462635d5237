"""A sequence whose items are made on first use: a national catalogue's 285,000 targets are
held as JSON text (from the cache) or as columns (read in bulk) until something asks for them."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class LazyItems(Sequence[T]):
    """The items come from :meth:`_made`, called once; the count is known before."""

    def __init__(self, count: int) -> None:
        self._count = count
        self._items: tuple[T, ...] | None = None

    @abstractmethod
    def _made(self) -> tuple[T, ...]:
        """Every item, made now (each subclass says from what)."""

    def _load(self) -> tuple[T, ...]:
        if self._items is None:
            self._items = self._made()
        return self._items

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._load()[index]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        return iter(self._load())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._load() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._load())

    def __repr__(self) -> str:
        return repr(self._load())
