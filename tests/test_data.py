"""The generated tasks have the promised shapes and answers."""
import numpy as np

from rnn_edu.data import count_task, cue_task, delayed_echo_task, text_task


def test_text_task():
    xs, y, vocab = text_task("abca")
    assert vocab == "abc" and xs.shape == (3, 1, 3)
    assert y[:, 0].tolist() == [1, 2, 0] and xs[:, 0].argmax(-1).tolist() == [0, 1, 2]


def test_delayed_echo_task():
    xs, y = delayed_echo_task(5, 10, n_symbols=4, delay=3, seed=1)
    ids = xs.argmax(-1)
    assert xs.shape == (10, 5, 4) and np.array_equal(y[3:], ids[:-3]) and np.all(y[:3] == 0)


def test_count_task():
    xs, y = count_task(8, 12, seed=0)
    assert xs.shape == (12, 8, 1) and y.shape == (8, 1) and np.array_equal(y[:, 0], xs[:, :, 0].sum(0))


def test_cue_task_is_deterministic_and_answer_is_the_cue():
    xs, y = cue_task(6, gap=4, seed=3)
    assert xs.shape == (6, 6, 5)
    assert np.array_equal(xs[0].argmax(-1), y) and np.all(xs[-1].argmax(-1) == 4)
    assert np.all(xs[1:-1].argmax(-1) >= 2)
    assert np.array_equal(cue_task(6, gap=4, seed=3)[0], xs)
