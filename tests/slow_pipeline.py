"""An item pipeline that holds each record a while without blocking the reactor (as a loaded
machine does), for ``tests/test_distributed.py``: a worker killed there dies while the records
and requests of the pages it read are being handed on, the moment a worker must not lose."""

from __future__ import annotations

from typing import Any

from scrapy.utils.defer import maybe_deferred_to_future

SECONDS = 0.05


class SlowPipeline:
    async def process_item(self, item: Any, spider: Any = None) -> Any:
        from twisted.internet import reactor, task

        await maybe_deferred_to_future(task.deferLater(reactor, SECONDS))
        return item
