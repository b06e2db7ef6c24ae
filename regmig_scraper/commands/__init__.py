"""Project commands for ``scrapy`` (``COMMANDS_MODULE``): ``crawl`` as the CLI runs it."""
