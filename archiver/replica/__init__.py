"""A deterministic local replica of the Hautetfort blog (pages, ground truth, HTTP server) for tests.

`build_site(dir)` writes the default blog; its options each change it in one way, and without them the
build is byte for byte the same: `generic_posts` adds posts in a third theme, `drift` perturbs the
templates, `unreadable_comments` hides the comments, and `hostile=True` (`python -m archiver.replica
build DIR --hostile`) adds one post that attacks its reader (hostile.py): the newest post, id after all
others, in the categories "Désinformation" and "RUSSIE", classic theme, with a print link and two
comments. Its body carries `<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, a
`javascript:alert(1)` link and an `onmouseover` handler; one comment carries an <img onerror>, a
javascript: link with onclick, a <script> and a javascript: author link; its title names the tricks as
text ("<script>" escaped on the page). Its ground-truth record (quirk "hostile-markup") gives the text
a reader sees around the payloads: what must survive sanitising, while no payload may. `images=True`
(`--images`, images.py) puts pictures in three posts: on the blog's host, on a "static" host (the same server
as http://localhost:PORT), one answering 404, one shared by two posts; each record of the truth then has
"images" ({url, status, host, md5}). Both options combine.
"""

from .generate import SiteInfo, build_site
from .model import BASE_TOKEN, slugify
from .server import ReplicaServer
from .truth import load_faults, load_ground_truth

__all__ = ["BASE_TOKEN", "ReplicaServer", "SiteInfo", "build_site", "load_faults", "load_ground_truth",
           "slugify"]
