"""`crawl -v`'s per-field table: every value sits under its header, whatever the size of the figures."""

import re

from archiver.crawl.drift import FieldReport, field_table

DRIFT_MARK = re.compile(r"  DRIFT \(\w[\w ]*\)$")


def report(field, posts, found, warned=0, usual=None, rule=None, drift=None) -> FieldReport:
    return FieldReport(field, posts, found, warned, posts, usual, rule, None, drift)


REPORTS = [
    report("title", 76, 76, usual=1.0, rule="modern: article h1[itemprop=headline]"),
    report("comments_count", 12500, 12345, warned=1203, usual=0.99, rule="classic: div.commentparent"),
    report("print_url", 76, 31, usual=0.98, rule="classic: div.postprint a", drift="share"),
    report("comments", 0, 0),
]


def columns(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each cell of a table line: cells are apart by two spaces or more."""
    return [match.span() for match in re.finditer(r"\S+(?: \S+)*", line)]


def test_each_value_sits_under_its_header():
    header, *rows = field_table(REPORTS)
    headers = columns(header)
    assert [header[start:end] for start, end in headers][:2] == ["field", "found"] and header.endswith("usual rule")
    for row in rows:
        cells = columns(DRIFT_MARK.sub("", row))
        assert len(cells) == len(headers), row
        (name, name_header), *figures, (rule, rule_header) = zip(cells, headers)
        assert name[0] == name_header[0], f"the field's name is not under its header: {row!r}"
        assert rule[0] == rule_header[0], f"the usual rule is not under its header: {row!r}"
        for figure, figure_header in figures:  # numbers, aligned to the right
            assert figure[1] == figure_header[1], f"a figure is not under its header: {row!r}"


def test_the_table_says_each_figure():
    rows = dict((line.split()[0], line) for line in field_table(REPORTS)[1:])
    assert re.fullmatch(r"  comments_count\s+12345/12500\s+99%\s+99%\s+1203  classic: div.commentparent", rows["comments_count"])
    assert rows["print_url"].endswith("31/76       41%      98%       0  classic: div.postprint a  DRIFT (share)")
    assert re.fullmatch(r"  comments\s+0/0\s+-\s+-\s+0  -", rows["comments"])
