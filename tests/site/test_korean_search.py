"""The Korean search language: how text is indexed."""

import sys

import pytest

from site_build import DOCS

sys.path.insert(0, str(DOCS / "_ext"))
from korean_search import SearchKorean, hangul_query_terms, split_text  # noqa: E402


def test_hangul_runs_become_syllables_and_pairs():
    assert split_text("곱셈과") == ["곱", "셈", "과", "곱셈", "셈과"]


def test_query_pairs_are_among_the_index_terms_of_longer_words():
    indexed = set(split_text("기울기를 계산합니다"))
    assert set(hangul_query_terms("기울기")) <= indexed
    assert set(hangul_query_terms("계산")) <= indexed


def test_latin_words_are_kept_whole_and_split_from_particles():
    assert split_text("LSTM의 batch_first는") == ["LSTM", "의", "batch_first", "는"]


@pytest.mark.parametrize("word, stem", [("gates", "gate"), ("Computing", "comput"),
                                        ("게이트", "게이트")])
def test_stemming(word, stem):
    assert SearchKorean({}).stem(word) == stem
