"""Runs the production nginx config (deploy/nginx.conf) in a temporary prefix, in front of a test upstream."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.servers import REPO_ROOT, free_port, stop_process_group

NGINX = Path("/usr/sbin/nginx")
PRODUCTION_CONF = REPO_ROOT / "deploy" / "nginx.conf"

MAIN_CONF = """daemon off;
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 4096; }}  # 500-stream load test: a client and an upstream socket each
http {{
    default_type application/octet-stream;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/medreg.conf;
}}
"""


def _replace_once(text: str, pattern: str, replacement: str) -> str:
    # The test must run the production file, so every edit has to hit exactly one line:
    # if the file changes shape, rendering fails loudly instead of testing something else.
    new, count = re.subn(pattern, replacement, text)
    if count != 1:
        raise AssertionError(f"deploy/nginx.conf: expected one match for {pattern!r}, found {count}")
    return new


def render_site(upstream_port: int, listen_port: int, stream_read_timeout: str, prefix: Path) -> str:
    """deploy/nginx.conf with the test's ports, stream read timeout and log path."""
    text = PRODUCTION_CONF.read_text(encoding="utf-8")
    text = _replace_once(text, r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{upstream_port};")
    text = _replace_once(text, r"listen 80;", f"listen 127.0.0.1:{listen_port};")
    text = _replace_once(text, r"proxy_read_timeout 75s;", f"proxy_read_timeout {stream_read_timeout};")
    text = _replace_once(text, r"access_log /var/log/nginx/medreg\.access\.log",
                         f"access_log {prefix}/access.log")
    return text


@dataclass
class Nginx:
    """A real nginx (Debian's binary) serving the rendered production config from `prefix`."""

    prefix: Path
    upstream_port: int
    stream_read_timeout: str = "2s"
    process: subprocess.Popen | None = None
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Nginx":
        """Write the configs, check them with `nginx -t`, start nginx and wait for its port."""
        self.port = free_port()
        self.prefix.mkdir(parents=True, exist_ok=True)
        (self.prefix / "medreg.conf").write_text(
            render_site(self.upstream_port, self.port, self.stream_read_timeout, self.prefix))
        # Running as root, workers would drop to `nobody` and could not write the temp dirs.
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = self.prefix / "nginx.conf"
        conf.write_text(MAIN_CONF.format(prefix=self.prefix, user=user))
        args = [str(NGINX), "-p", str(self.prefix), "-c", str(conf), "-e", str(self.prefix / "error.log")]
        check = subprocess.run([*args, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}:\n{self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("nginx did not listen within 10 s")

    def stop(self) -> None:
        """Stop nginx (SIGTERM, then SIGKILL after 5 s)."""
        stop_process_group(self.process, 5)

    def error_log(self) -> str:
        """What nginx logged (info level)."""
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def access_log(self) -> str:
        """The JSON access log of the medreg server block."""
        path = self.prefix / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""
