"""A deterministic local replica of the Hautetfort blog (pages, ground truth, HTTP server) for tests."""

from .generate import SiteInfo, build_site
from .model import BASE_TOKEN, slugify
from .server import ReplicaServer
from .truth import load_faults, load_ground_truth

__all__ = ["BASE_TOKEN", "ReplicaServer", "SiteInfo", "build_site", "load_faults", "load_ground_truth",
           "slugify"]
