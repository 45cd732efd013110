"""What the page shows now: one drawing, read by one model at one checkpoint, in one language.
The pad's every read and every live panel's result carry the stamp of what they were made
for; the page compares the two (js/gallery.js) to mark a panel made for another drawing and
ask it again, so no panel explains a drawing that is gone."""

import hashlib

from app import texts


def _drawing_key(drawing) -> str:
    """A short name for one drawing (its PNG data URL; '' for a blank pad)."""
    data = drawing.encode() if isinstance(drawing, str) else b""
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def stamp(drawing, model, language, checkpoint) -> str:
    checkpoint = None if checkpoint is None else int(checkpoint)
    return f"{_drawing_key(drawing)}|{model}|{language}|{checkpoint}"


def drawing_of(stamp: str) -> str:
    """The drawing's key in a stamp (the network view keeps a tapped cell while it is the same)."""
    return stamp.partition("|")[0]


def stamped(value: dict, drawing, model, language, checkpoint) -> dict:
    """A live panel's result, with the stamp of what it was made for and the words the page
    shows over it while it waits for a newer one."""
    return {**value, "shown": stamp(drawing, model, language, checkpoint), "stale": texts.words(language)["stale"]}
