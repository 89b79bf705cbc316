"""The site search: public, live pages in the reader's language, found by
the base forms of the query's words. The API's ``?search=`` goes through
``lemma_search`` too (home/api.py), so both find the same pages."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

from home import lemmas
from home.selectors import language, public_pages_in_reader_language

PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def lemma_search(
    pages, query, language_code, *, operator="and", order_by_relevance=True
):
    """``pages`` searched for every base form of ``query``'s words (read in
    ``language_code``), and those base forms; ``(None, [])`` when the query
    has no word."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    words = lemmas.query_lemmas(query, language_code)
    if not words:
        return None, []
    # The lemmatised field matches the base forms; the plain fields (title,
    # summary) still match words simplemma does not know.
    results = pages.search(
        " ".join(words), operator=operator, order_by_relevance=order_by_relevance
    )
    return results, words


def search_public_pages(query, page_number):
    """A page of results for ``query`` and the lemmas searched for; every hit
    carries an excerpt with the query's words highlighted."""
    code = language()
    results, words = lemma_search(public_pages_in_reader_language(), query, code)
    if results is None:
        return None, []
    paginator = Paginator(results, PER_PAGE)
    try:
        page = paginator.page(page_number)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    hits = [result.specific for result in page.object_list]
    for hit in hits:
        text = hit.search_text() if hasattr(hit, "search_text") else hit.title
        hit.excerpt = lemmas.highlight(text, words, code)
    page.hits = hits
    return page, words
