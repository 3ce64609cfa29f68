"""Scrapy spiders of the archiver: they route requests, `archiver.extract` reads pages."""
