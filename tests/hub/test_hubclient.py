"""The learner client's pure parts: kernel messages from websocket frames, cells, quiz code."""
import http.server
import json
import threading
import time

import pytest

import hubclient


def test_text_and_binary_frames_decode_to_the_same_message():
    msg = {"header": {"msg_type": "comm_msg"}, "content": {"data": {"state": {"value": "é"}}}}
    text = json.dumps(msg)
    body = text.encode("utf-8")
    buffer = b"\x00\x01\x02\x03"
    # two parts (the message, one buffer): count, two offsets, then the parts
    start = 4 + 2 * 4
    frame = ((2).to_bytes(4, "big") + start.to_bytes(4, "big") + (start + len(body)).to_bytes(4, "big")
             + body + buffer)
    assert hubclient._decode(text) == msg
    assert hubclient._decode(frame) == msg


def test_code_cells_skips_markdown_and_empty_cells():
    nb = {"cells": [{"cell_type": "markdown", "source": "# title"},
                    {"cell_type": "code", "source": ["x = 1\n", "y = 2"]},
                    {"cell_type": "code", "source": "   \n"},
                    {"cell_type": "code", "source": "print(x)"}]}
    assert hubclient.code_cells(nb) == ["x = 1\ny = 2", "print(x)"]


def test_quiz_code_answers_through_the_widget_in_order():
    code = hubclient.quiz_code({"exploding-4-byte-overflow": ["9", "10"]})
    compile(code, "<quiz>", "exec")
    assert code.endswith("_answer('exploding-4-byte-overflow', ['9', '10'])\n")
    assert "widget.input.value = text" in code and "widget.check_button.click()" in code


def test_quiz_code_records_each_answer_once(tmp_path, monkeypatch):
    """Run headless (dummy comm), the widget clicks record one attempt per answer, in order."""
    progress = tmp_path / "progress.json"
    monkeypatch.setenv("RNN_EDU_PROGRESS", str(progress))
    exec(hubclient.quiz_code({"exploding-4-byte-overflow": ["9", "11", "10"],
                              "decay-0-9-below-1e-3": ["66"]}), {})
    records = json.loads(progress.read_text())["questions"]
    overflow = records["exploding-4-byte-overflow"]
    assert (overflow["attempts"], overflow["first_correct"], overflow["correct"]) == (3, False, True)
    assert [h["answer"] for h in overflow["history"]] == ["'9'", "'11'", "'10'"]
    assert records["decay-0-9-below-1e-3"]["attempts"] == 1 and records["decay-0-9-below-1e-3"]["correct"]


class _Status(http.server.BaseHTTPRequestHandler):
    """Answers every request (a websocket upgrade included) with the status in the class."""
    status = 404

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def _channels_answering(status):
    """A Learner whose server answers `status` to the kernel channel; the error _connect raises."""
    handler = type("Handler", (_Status,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        learner = hubclient.Learner(f"http://127.0.0.1:{server.server_port}", "ada", "pw", time.monotonic() + 30)
        learner.kernel_id, learner.session_id = "k-1", "s-1"
        with pytest.raises(hubclient.LearnerError) as err:
            learner._connect()
        return err.value
    finally:
        server.shutdown()
        server.server_close()


def test_a_dropped_kernel_is_a_failure_at_once_with_a_short_message():
    """404: the server removed the kernel; re-opening the channel cannot bring it back."""
    err = _channels_answering(404)
    assert not isinstance(err, hubclient.ChannelLost)
    assert "HTTP 404" in str(err) and "k-1" in str(err) and len(str(err)) < 200


def test_another_refused_channel_is_re_opened():
    err = _channels_answering(503)
    assert isinstance(err, hubclient.ChannelLost) and "HTTP 503" in str(err)
