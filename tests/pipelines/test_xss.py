"""Sanitising: no vector of fixtures/xss_vectors.txt leaves anything a browser would run, and a blog's markup survives."""

import re

import pytest
from parsel import Selector

from archiver.pipelines.clean import Clean, sanitise_html
from archiver.items import Comment, Post

from conftest import FIXTURES
from xss_checks import executable_constructs

VECTORS_FILE = FIXTURES / "xss_vectors.txt"
ESCAPE = re.compile(r"\\(t|n|r|x[0-9a-fA-F]{2})")
CONTROLS = {"t": "\t", "n": "\n", "r": "\r"}
BLOG_MARKUP = """<h2>Le Mali et la Russie</h2>
<p>Un <em>mot</em>, un <strong>autre</strong>, <b>gras</b>, <i>penché</i>, <u>souligné</u>, x<sup>2</sup>, H<sub>2</sub>O.<br>
Une <a href="https://www.observatoire-afrique.invalid/actualite/1">source</a>, un <a href="http://carnets.invalid/">carnet</a>,
une <a href="/archive/2022/02/01/autre-note-6362100.html">autre note</a>, <a href="#more">la suite</a>, <a href="mailto:redaction@blog.invalid">écrire</a>.</p>
<blockquote cite="https://www.journal-bamako.invalid/entretien"><p>Nous ne laisserons personne dicter notre politique.</p></blockquote>
<h3>Chiffres</h3>
<ul><li>un</li><li>deux</li></ul>
<ol><li>premier</li><li>second</li></ol>
<table><thead><tr><th>Pays</th><th>Effectifs</th></tr></thead><tbody><tr><td>Mali</td><td>1 000</td></tr></tbody></table>
<figure><img src="/images/carte-sahel.gif" alt="carte du Sahel" width="400" height="250"><figcaption>Le Sahel</figcaption></figure>
<p><img src="http://blog.invalid/media/01/02/123456789.jpg" alt="Lavrov à Bamako"></p>
<h4>Notes</h4>
<hr>
<pre><code>texte préformaté</code></pre>"""
KEPT_TAGS = ("h2", "h3", "h4", "p", "em", "strong", "b", "i", "u", "sup", "sub", "br", "a", "blockquote", "ul", "ol", "li",
             "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "img", "hr", "pre", "code")


def load_vectors() -> list[pytest.param]:
    """The vectors, each with its family (the last "#" line above it) in its test id."""
    vectors, family, number = [], "", 0
    for line in VECTORS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            family = line.lstrip("# ").split(":")[0] if line.startswith("# ") and line.strip() else family
            continue
        number += 1
        vector = ESCAPE.sub(lambda m: CONTROLS.get(m[1]) or chr(int(m[1][1:], 16)), line)
        vectors.append(pytest.param(vector, id=f"{number:03d}-{family.split()[0].lower()}"))
    return vectors


VECTORS = load_vectors()


def test_the_vector_list_covers_every_family():
    families = {param.id.split("-", 1)[1] for param in VECTORS}
    assert {"script", "event", "javascript", "svg", "mathml", "style", "embedded", "forms", "head", "malformed",
            "comments", "raw-text", "srcdoc"} <= families
    assert len(VECTORS) >= 140


@pytest.mark.parametrize("vector", VECTORS)
def test_clean_leaves_nothing_executable_in_a_body_or_a_comment(vector):
    post = Post("1", "http://blog.invalid/archive/2022/02/04/titre-1.html", title="Titre",
                body_html=f"<p>avant</p>{vector}<p>après</p>", comments=[Comment(body_html=vector)])
    cleaned = Clean().process_item(post)
    assert executable_constructs(cleaned.body_html) == []
    assert executable_constructs(cleaned.comments[0].body_html) == []


@pytest.mark.parametrize("vector", VECTORS)
def test_sanitised_html_is_stable_when_sanitised_again(vector):
    """A browser parsing the output sees what the sanitiser checked (no markup that mutates on re-parsing)."""
    once = sanitise_html(vector)
    assert sanitise_html(once) == once


def test_the_checker_sees_what_it_looks_for():
    assert executable_constructs('<p><script>x()</script><svg></svg></p>') == ["<script>", "<svg>"]
    assert executable_constructs('<img src=x OnError="x()">') == ["img onerror="]
    assert executable_constructs('<a href=" jav&#x09;a\nscript:x()">a</a>') == ["a href=javascript:x()"]
    assert executable_constructs('<p style="width: EXPRESSION(x())">a</p>') == ["p style=width:expression(x())"]
    assert executable_constructs('<p>Un texte qui parle de <code>&lt;script&gt;</code> et de javascript: </p>') == []


def test_a_blogs_markup_survives_sanitising():
    clean = sanitise_html(BLOG_MARKUP)
    page, original = Selector(text=clean), Selector(text=BLOG_MARKUP)
    for tag in KEPT_TAGS:
        assert len(page.css(tag)) == len(original.css(tag)), tag
    assert page.css("a::attr(href)").getall() == original.css("a::attr(href)").getall()
    assert page.css("img::attr(src)").getall() == original.css("img::attr(src)").getall()
    assert page.css("img::attr(alt)").getall() == ["carte du Sahel", "Lavrov à Bamako"]
    assert page.css("blockquote::attr(cite)").get() == "https://www.journal-bamako.invalid/entretien"
    assert page.xpath("string(//body)").get() == original.xpath("string(//body)").get()
    assert executable_constructs(clean) == []


def test_links_open_without_giving_the_archive_away():
    assert sanitise_html('<a href="https://x.invalid/">x</a>') == '<a href="https://x.invalid/" rel="noopener noreferrer">x</a>'


@pytest.mark.parametrize("markup", [
    '<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315"></iframe>',
    '<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="pixel"></p>',
])
def test_videos_and_inline_images_are_left_out(markup):
    """No iframe, even for a video. No data: URL, even for an image: the platform serves images as files,
    and ammonia checks URL schemes alike for every attribute, so a data: image would let data:text/html
    links in too."""
    clean = sanitise_html(markup)
    assert "iframe" not in clean and "data:" not in clean
