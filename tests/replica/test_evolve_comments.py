"""`python -m archiver.replica evolve DIR --comment N`: N old posts get one new comment, and only their pages change."""

from archiver.replica import build_site, load_ground_truth
from archiver.replica.__main__ import main


def test_evolve_comment_adds_one_comment_under_n_old_posts_and_rewrites_only_their_pages(tmp_path, capsys):
    root = build_site(tmp_path / "site", posts=60).root
    before = {record["id"]: record for record in load_ground_truth(root)}
    pages = {path: path.read_bytes() for path in root.glob("archive/*/*/*/*.html")}

    assert main(["evolve", str(root), "--posts", "60", "--comment", "3"]) == 0
    assert "0 posts added, 0 edited, 0 deleted, 3 commented;" in capsys.readouterr().out

    after = {record["id"]: record for record in load_ground_truth(root)}
    commented = {post_id for post_id in after if after[post_id]["comments"] != before[post_id]["comments"]}
    assert len(commented) == 3 and before.keys() == after.keys()
    for post_id in commented:
        assert after[post_id]["comments"][:-1] == before[post_id]["comments"]
        assert after[post_id]["comments"][-1]["published"] > max(record["published"] for record in before.values())
    changed = {path for path, data in pages.items() if path.read_bytes() != data}
    assert {path.stem.rsplit("-", 1)[-1] for path in changed} == commented
