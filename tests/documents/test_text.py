from documents.text import body_to_text, compare, text_to_blocks


def _triples(blocks):
    return [(block["id"], block["type"], block["value"]) for block in blocks]


def test_paragraphs_and_headings_are_split_by_blank_lines():
    blocks = text_to_blocks("# Diagnoza\n\nPierwszy\nwiersz.\n\n\n  Drugi.  ")

    assert [(b["type"], b["value"]) for b in blocks] == [
        ("heading", "Diagnoza"),
        ("paragraph", "Pierwszy<br>wiersz."),
        ("paragraph", "Drugi."),
    ]


def test_edited_paragraph_keeps_its_id_and_a_new_one_gets_a_new_id():
    before = _triples(text_to_blocks("Ala ma kota.\n\nDrugi akapit."))

    after = _triples(
        text_to_blocks("Wstęp.\n\nAla ma dwa koty.\n\nDrugi akapit.", before)
    )

    assert after[1][0] == before[0][0]
    assert after[2][0] == before[1][0]
    assert after[0][0] not in {before[0][0], before[1][0]}


def test_a_replaced_paragraph_is_a_new_paragraph():
    before = _triples(text_to_blocks("Ala ma kota."))

    after = _triples(text_to_blocks("Zupełnie inna treść o mieszkaniach.", before))

    assert after[0][0] != before[0][0]


def test_text_round_trip():
    text = "# Tytuł\n\nAkapit pierwszy.\n\nAkapit drugi."

    assert body_to_text(text_to_blocks(text)) == text


def test_comparison_marks_added_removed_and_changed_words():
    old = _triples(text_to_blocks("Ala ma kota.\n\nDo usunięcia."))
    new = _triples(text_to_blocks("Ala ma psa.\n\nNowy akapit o pracy.", old))

    rows = compare(old, new)

    assert [row["change"] for row in rows] == ["changed", "removed", "added"]
    assert rows[0]["segments"] == [
        ("same", "Ala ma"),
        ("removed", "kota."),
        ("added", "psa."),
    ]
