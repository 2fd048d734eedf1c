"""pyHanko's API is asynchronous (its sync functions wrap `asyncio.run`, which refuses to run
in a thread whose event loop is already running: an async worker, a Playwright test). Run
its coroutines here: in this thread when it has no loop, else in a helper thread."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
