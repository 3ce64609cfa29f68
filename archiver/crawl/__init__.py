"""The write side of a crawl outside Scrapy's engine: the checks before it starts (preflight), its settings from the
command line (run_settings), the archive's lock, the log file, the run itself (run), its outcome and exit status
(outcomes), the per-field counts of the run (field_counts) and their drift from the archive's usual rates (drift);
and reextract, which runs extraction again over stored pages.

May import: Scrapy, spiders, archiver.store, archiver.extract and the shared modules at the top of archiver.
"""
