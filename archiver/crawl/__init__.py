"""The write side of a crawl outside Scrapy's engine: the checks before it starts (preflight), its settings from the
command line (run_settings), the archive's lock, the log file, the run itself (run), its outcome and exit status
(outcomes) and the drift of the run's per-field counts (archiver.field_counts) from the archive's usual rates (drift);
and reextract, which runs extraction again over stored pages.

May import: Scrapy, spiders, archiver.store, archiver.extract and the shared modules at the top of archiver.
"""
