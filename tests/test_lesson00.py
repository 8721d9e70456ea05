"""The lesson 00 warm-up checker: right shapes pass, typical slips get the matching hint."""
from rnn_edu.exercises.lesson00 import check_shapes

RIGHT = {"xs": (10, 4, 3), "hs": (10, 4, 8), "zs": (10, 4, 2)}


def test_right_shapes_pass():
    assert check_shapes(RIGHT).passed


def test_batch_major_gets_the_time_major_hint():
    res = check_shapes({**RIGHT, "hs": (4, 10, 8)})
    assert not res.passed and "time-major" in res.message and "shape of hs" in res.message


def test_wrong_feature_axis_names_it():
    res = check_shapes({**RIGHT, "zs": (10, 4, 8)})
    assert not res.passed and "last axis" in res.message and "expected 2" in res.message


def test_garbage_never_raises():
    for bad in [None, "xs", {"xs": "abc", "hs": 1, "zs": None}, {"xs": (10, 4, 3)}]:
        res = check_shapes(bad)
        assert not res.passed and res.message
