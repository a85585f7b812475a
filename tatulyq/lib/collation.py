"""Sorting names as a Kazakh or Russian reader expects (not by character code)."""

# The Kazakh Cyrillic alphabet, which also orders Russian names correctly.
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RANK = {letter: index for index, letter in enumerate(KAZAKH_ALPHABET)}
_IGNORED = "«»\"“”„'()№ "


def sort_key(text: str) -> tuple:
    """Letters by their place in the Kazakh alphabet, Latin and digits after them;
    quotes and the number sign are ignored, as in a printed register."""
    key = []
    for char in text.casefold():
        if char in _IGNORED:
            continue
        if char in _RANK:
            key.append((0, _RANK[char]))
        else:
            key.append((1, ord(char)))
    return tuple(key)
