"""Spiders: they route requests and hand responses to a site extractor, nothing more."""
