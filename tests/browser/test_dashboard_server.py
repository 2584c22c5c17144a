"""``asmsim dashboard`` as a facilitator runs it: stopping the command stops its server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from asmsim.present.dashboard import server
from tests.browser.conftest import REPO, answers, free_port, wait_until_served

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_stopping_the_command_stops_its_server(assets_dir, tmp_path, stop_signal):
    port = free_port()
    log = tmp_path / "cli.log"
    env = {**os.environ, "ASMSIM_ASSETS_DIR": str(assets_dir)}
    with log.open("w") as out:  # its own process group: to see that nothing of it is left
        cli = subprocess.Popen([sys.executable, "-m", "asmsim.cli.main", "dashboard",
                                f"port={port}"], cwd=REPO, env=env, stdout=out,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_served(cli, server.url(port), log)
        cli.send_signal(stop_signal)  # to the command only, as `kill PID` does
        assert cli.wait(timeout=20) == 128 + stop_signal
        deadline = time.monotonic() + 10
        while _group_alive(cli.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(cli.pid), "the server outlived `asmsim dashboard`"
        assert not answers(server.url(port))
        assert "Cookies with samesite" not in log.read_text()
    finally:
        if _group_alive(cli.pid):
            os.killpg(cli.pid, signal.SIGKILL)
