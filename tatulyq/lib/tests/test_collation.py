from tatulyq.lib.collation import sort_key


def test_kazakh_letters_sort_in_alphabet_order_not_by_code_point():
    names = ["Шу ауданы", "Қордай ауданы", "Атырау", "Ақмола", "Ұлытау", "Үржар", "Іле"]
    # Kazakh order: а ә … к қ … т у ұ ү … ш … ы і …
    assert sorted(names, key=sort_key) == [
        "Ақмола", "Атырау", "Қордай ауданы", "Ұлытау", "Үржар", "Шу ауданы", "Іле",
    ]


def test_quotes_and_number_signs_are_ignored():
    assert sorted(["«Жамбыл»", "Абай"], key=sort_key) == ["Абай", "«Жамбыл»"]
    assert sorted(["№2 мектеп", "№1 мектеп"], key=sort_key) == ["№1 мектеп", "№2 мектеп"]
