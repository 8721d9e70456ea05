"""The hub hands out its learners' server ports (ports.ServerPorts): below the ephemeral
range, never one port to two servers, a learner's own port again when it is free."""
import random
import socket

import pytest

import ports


def held(port):
    """A listening socket on 127.0.0.1:`port`, as another program's server would hold it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", port))
    sock.listen()
    return sock


def test_ports_lie_below_the_range_the_system_draws_ephemeral_ports_from():
    pool = ports.ServerPorts(rng=random.Random(0))
    low = ports.ephemeral_low()
    given = [pool.port_for(f"learner{i:02d}") for i in range(40)]
    assert all(low - 4000 <= p < low for p in given), (low, given)
    assert len(set(given)) == 40, "two servers were given one port"


def test_a_learner_gets_the_same_port_again_while_it_is_free():
    pool = ports.ServerPorts(rng=random.Random(1))
    first = pool.port_for("ada")
    other = pool.port_for("ben")
    assert pool.port_for("ada") == first != other
    with held(first):                                   # something else holds ada's port now
        moved = pool.port_for("ada")
    assert moved not in (first, other) and pool.given == {"ada": moved, "ben": other}


def test_a_port_another_program_holds_is_skipped():
    pool = ports.ServerPorts(rng=random.Random(2))
    candidate = pool.ports[pool.start]
    with held(candidate):
        assert pool.port_for("ada") == pool.ports[(pool.start + 1) % len(pool.ports)]


def test_a_full_pool_says_which_range_it_tried():
    pool = ports.ServerPorts(size=2, low=pick_two_free_ports(), rng=random.Random(3))
    socks = [held(p) for p in pool.ports]
    try:
        with pytest.raises(RuntimeError, match=rf"no free port for ada's server in {pool.ports.start}-"):
            pool.port_for("ada")
    finally:
        for sock in socks:
            sock.close()


def pick_two_free_ports():
    """The lower of two neighbouring free ports below the ephemeral range."""
    for port in range(ports.ephemeral_low() - 2, 1024, -2):
        if ports.is_free(port) and ports.is_free(port + 1):
            return port
    pytest.skip("no two neighbouring free ports below the ephemeral range")


def test_without_the_linux_setting_the_bsd_range_is_assumed(monkeypatch, tmp_path):
    monkeypatch.setattr(ports, "EPHEMERAL_RANGE", tmp_path / "missing")
    assert ports.ephemeral_low() == 49152
    (tmp_path / "range").write_text("32768\t60999\n")
    monkeypatch.setattr(ports, "EPHEMERAL_RANGE", tmp_path / "range")
    assert ports.ephemeral_low() == 32768
