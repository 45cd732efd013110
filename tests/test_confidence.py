import numpy as np
import pytest

from app.confidence import pieces, score


def block(height: int, width: int) -> np.ndarray:
    return np.ones((height, width), np.float32)


@pytest.mark.parametrize("columns, expected", [
    ([block(40, 30)], 1),
    ([block(40, 10), np.zeros((40, 10)), block(40, 12)], 2),                 # a gap of a quarter of the height
    ([block(40, 10), np.zeros((40, 2)), block(40, 12)], 1),                  # a narrow gap: one broken digit
    ([block(40, 30), np.zeros((40, 10)), block(40, 1)], 1),                  # a stray mark beside a digit
    ([block(40, 8), np.zeros((40, 8)), block(40, 8), np.zeros((40, 8)), block(40, 8)], 3),
])
def test_pieces_side_by_side(columns, expected):
    assert pieces(np.concatenate(columns, axis=1)) == expected


def test_faint_ink_is_no_piece():
    crop = np.concatenate([block(40, 10), np.zeros((40, 10)), block(40, 10) * 0.1], axis=1)
    assert pieces(crop) == 1


def test_the_score_is_the_gap_between_the_top_two_logits():
    logits = np.array([2.0, -1.0, 0.5, 3.5, 0, 0, 0, 0, 0, 0])
    probabilities = np.exp(logits) / np.exp(logits).sum()
    assert score(probabilities) == pytest.approx(3.5 - 2.0)
    assert score(np.eye(10)[3]) > 80  # one certain digit: large, not infinite
    assert score(np.full(10, 0.1)) == 0
