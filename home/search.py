"""The site search: public, live pages in the reader's language, found by
the base forms of the query's words."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

from home import lemmas
from home.selectors import language, public_pages_in_reader_language

PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search_public_pages(query, page_number):
    """A page of results for ``query`` and the lemmas searched for; every hit
    carries an excerpt with the query's words highlighted."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    code = language()
    words = lemmas.query_lemmas(query, code)
    if not words:
        return None, []
    # The lemmatised field matches the base forms; the plain fields (title,
    # summary) still match words simplemma does not know.
    results = public_pages_in_reader_language().search(" ".join(words), operator="and")
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
