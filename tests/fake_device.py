"""A network device for netmiko to talk to: a paramiko server replaying recorded output.

It shows the vendor's prompt, echoes what it is sent, answers the recorded
commands with their recorded output and anything else (paging, terminal
width) with nothing. Loopback only; one thread per connection.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Mapping

import paramiko
import paramiko.common


class _Server(paramiko.ServerInterface):
    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username, password
        self.attempts = 0

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_password(self, username: str, password: str) -> int:
        self.attempts += 1
        if (username, password) == (self.username, self.password):
            return paramiko.common.AUTH_SUCCESSFUL
        return paramiko.common.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return (
            paramiko.common.OPEN_SUCCEEDED
            if kind == "session"
            else paramiko.common.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED
        )

    def check_channel_pty_request(self, *args: object) -> bool:
        return True

    def check_channel_shell_request(self, channel: paramiko.Channel) -> bool:
        return True


class FakeDevice:
    def __init__(
        self,
        prompt: str,
        replies: Mapping[str, str],
        username: str = "netops",
        password: str = "lab-Pass-1",
    ) -> None:
        self.prompt, self.replies = prompt, dict(replies)
        self.username, self.password = username, password
        self.host_key = paramiko.ECDSAKey.generate()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.address, self.port = self.listener.getsockname()
        self.auth_attempts = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> FakeDevice:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self.listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        transport = paramiko.Transport(client)
        transport.add_server_key(self.host_key)
        server = _Server(self.username, self.password)
        try:
            transport.start_server(server=server)
            channel = transport.accept(10)
            self.auth_attempts += server.attempts
            if channel is None:
                return
            channel.send(f"\r\n{self.prompt}".encode())
            buffer = b""
            while not self._stop.is_set():
                data = channel.recv(1024)
                if not data:
                    return
                buffer += data
                while b"\n" in buffer or b"\r" in buffer:
                    cut = min(i for i in (buffer.find(b"\n"), buffer.find(b"\r")) if i >= 0)
                    line, buffer = buffer[:cut].decode(errors="replace"), buffer[cut + 1 :]
                    if buffer.startswith(b"\n"):
                        buffer = buffer[1:]
                    reply = self.replies.get(line.strip(), "")
                    body = f"{line}\r\n" + (reply.replace("\n", "\r\n") + "\r\n" if reply else "")
                    channel.send(f"{body}{self.prompt}".encode())
        except (paramiko.SSHException, OSError, EOFError):
            return
        finally:
            self.auth_attempts = max(self.auth_attempts, server.attempts)
            transport.close()
