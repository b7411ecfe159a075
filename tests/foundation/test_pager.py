"""The shared pager of the list pages: filters survive paging, and the ends have no dead links."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def pager(number, query):
    page = Paginator(list(range(45)), 20).page(number)
    return render_to_string("partials/pager.html", {"page": page, "query": query})


def test_middle_page_links_both_ways_keeping_the_filters():
    html = pager(2, "country=SE&q=cyber")
    assert 'href="?country=SE&amp;q=cyber&amp;page=1" rel="prev"' in html
    assert 'href="?country=SE&amp;q=cyber&amp;page=3" rel="next"' in html
    assert "Page 2 of 3" in html


def test_first_and_last_pages_have_one_link_and_no_filters_means_a_bare_page():
    first, last = pager(1, ""), pager(3, "")
    assert 'rel="prev"' not in first and 'href="?page=2" rel="next"' in first
    assert 'rel="next"' not in last and 'href="?page=2" rel="prev"' in last


def test_a_single_page_shows_no_pager():
    page = Paginator([1, 2], 20).page(1)
    assert "nav" not in render_to_string("partials/pager.html", {"page": page, "query": ""})
