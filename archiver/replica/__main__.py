"""`python -m archiver.replica build DIR` writes the replica (`--hostile-content [--step N]`: the hostile one;
`--decorator [--wordpress]`: the decorator blog);
`... evolve DIR --add N` changes it; `... serve DIR` serves it."""

from __future__ import annotations

import argparse
import sys
import time

from .decorator import build_decorator_site
from .evolve import evolve_site
from .generate import build_site
from .hostile_content import STEPS, build_hostile_content_site
from .pages import FEED_SIZE
from .server import ReplicaServer


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The two sub-commands and their options."""
    parser = argparse.ArgumentParser(prog="python -m archiver.replica", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write the replica blog into DIR (emptied first)")
    build.add_argument("dir")
    build.add_argument("--posts", type=int, default=72, help="generated posts besides the seed (>= 60)")
    build.add_argument("--seed", type=int, default=2022, help="random seed")
    build.add_argument("--generic-posts", type=int, default=0, help="extra posts in the generic theme")
    build.add_argument("--drift", action="store_true", help="perturb the templates as real blogs differ")
    build.add_argument("--unreadable-comments", action="store_true",
                       help="show comment counts but make the comments themselves unreadable")
    build.add_argument("--hostile", action="store_true",
                       help="add one post whose body and comment carry script, onerror and javascript: links")
    build.add_argument("--images", action="store_true",
                       help="put pictures in three posts: on the blog's host, on a static host (localhost), one missing")
    build.add_argument("--numbered-from-zero", action="store_true",
                       help="number every listing from zero as real blogs do: index-1.html is page 2 (categories, "
                            "home pages, months)")
    build.add_argument("--feed-size", type=int, default=FEED_SIZE, help="items in each feed (older blogs: 10)")
    build.add_argument("--hostile-content", action="store_true",
                       help="the 64-post blog of bad links, absurd numbers and control characters (hostile_content.py); "
                            "the other options are ignored")
    build.add_argument("--decorator", action="store_true",
                       help="the blog in the platform's older decorator template (decorator.py): tags, listings numbered "
                            "from zero, feeds of 10; --posts and --seed apply, the other options are ignored")
    build.add_argument("--wordpress", action="store_true", help="with --decorator: the same blog in a WordPress-style template")
    build.add_argument("--step", type=int, default=0,
                       help="with --hostile-content: 0 published, 1 outage, 2 restored (a folder holding it is rewritten in place)")
    evolve = commands.add_parser("evolve", help="add, edit and delete posts, and comment on them, in a built replica (default build only)")
    evolve.add_argument("dir")
    for name, what in (("add", "new posts"), ("edit", "old posts whose text changes"), ("delete", "old posts removed"),
                       ("comment", "other old posts that get a new comment")):
        evolve.add_argument(f"--{name}", type=int, default=0, help=what)
    for name, default in (("posts", 72), ("seed", 2022), ("generic-posts", 0), ("feed-size", FEED_SIZE)):
        evolve.add_argument(f"--{name}", type=int, default=default, help="as given to build")
    evolve.add_argument("--numbered-from-zero", action="store_true", help="as given to build")
    serve = commands.add_parser("serve", help="serve a built replica on 127.0.0.1 until Ctrl-C")
    serve.add_argument("dir")
    serve.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run one sub-command; exit status 0 on success."""
    args = parse_args(argv)
    if args.command == "build":
        try:
            if args.hostile_content:
                info = build_hostile_content_site(args.dir, step=args.step)
                print(f"step {args.step}: {STEPS[args.step]}")
            elif args.decorator:
                info = build_decorator_site(args.dir, posts=args.posts, seed=args.seed, wordpress=args.wordpress)
            elif args.wordpress:
                raise ValueError("--wordpress goes with --decorator")
            elif args.step:
                raise ValueError("--step goes with --hostile-content")
            else:
                info = build_site(args.dir, posts=args.posts, seed=args.seed, generic_posts=args.generic_posts,
                                  drift=args.drift, unreadable_comments=args.unreadable_comments,
                                  hostile=args.hostile, images=args.images,
                                  numbered_from_zero=args.numbered_from_zero, feed_size=args.feed_size)
        except (ValueError, OSError) as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
        print(f"{info.post_count} posts, {info.category_count} categories, "
              f"{info.listing_page_count} category pages, {info.file_count} files in {info.root}")
        return 0
    if args.command == "evolve":
        return evolve(args)
    with ReplicaServer(args.dir, port=args.port) as server:
        print(f"Serving {args.dir} at {server.base_url}/ (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


def evolve(args: argparse.Namespace) -> int:
    """The evolve sub-command: one step, and what it changed."""
    try:
        step = evolve_site(args.dir, add=args.add, edit=args.edit, delete=args.delete, posts=args.posts,
                           seed=args.seed, generic_posts=args.generic_posts,
                           numbered_from_zero=args.numbered_from_zero, feed_size=args.feed_size, comment=args.comment)
    except (ValueError, OSError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    print(f"{len(step.added)} posts added, {len(step.edited)} edited, {len(step.deleted)} deleted, "
          f"{len(step.commented)} commented; "
          f"{step.written} files written, {step.removed} removed in {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
