"""SSH servers that replay recorded output: lab servers and network devices.

A paramiko server on a loopback address. As a *server* it answers the
inventory's fact script (an exec request) with recorded or rendered output;
as a *device* it shows the vendor's prompt in a shell, echoes what it is
sent, answers recorded commands with their output and anything else (paging,
terminal width) with nothing. One thread per connection.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Mapping

import paramiko
import paramiko.common

LOG_CHANNEL = "inventory.lab.ssh"
logging.getLogger(LOG_CHANNEL).addHandler(logging.NullHandler())
logging.getLogger(LOG_CHANNEL).propagate = False


class _Server(paramiko.ServerInterface):
    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username, password
        self.attempts = 0
        self.command: str | None = None
        self.requested = threading.Event()  # a shell or an exec, whichever comes

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
        self.requested.set()
        return True

    def check_channel_exec_request(self, channel: paramiko.Channel, command: bytes) -> bool:
        self.command = command.decode(errors="replace")
        self.requested.set()
        return True


class ReplayServer:
    def __init__(
        self,
        prompt: str = "",
        replies: Mapping[str, str] | None = None,
        username: str = "netops",
        password: str = "lab-Pass-1",  # noqa: S107 (a lab account on loopback)
        address: str = "127.0.0.1",
        port: int = 0,
        exec_reply: str | None = None,
        host_key: paramiko.PKey | None = None,
    ) -> None:
        self.prompt, self.replies = prompt, dict(replies or {})
        self.username, self.password = username, password
        self.exec_reply = exec_reply
        self.host_key = host_key or paramiko.ECDSAKey.generate()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((address, port))
        self.listener.listen(8)
        self.address, self.port = self.listener.getsockname()
        self.auth_attempts = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> ReplayServer:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        # shutdown wakes the thread blocked in accept(); close alone would leave
        # the port bound until that thread noticed.
        with contextlib.suppress(OSError):  # already shut by the peer side
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for thread in self._threads:
            thread.join(timeout=5)

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
        transport.set_log_channel(LOG_CHANNEL)  # clients hanging up are not the lab's errors
        transport.add_server_key(self.host_key)
        server = _Server(self.username, self.password)
        try:
            transport.start_server(server=server)
            channel = transport.accept(10)
            self.auth_attempts += server.attempts
            if channel is None:
                return
            if not server.requested.wait(10):
                return
            if server.command is not None:
                self._exec(channel, server.command)
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

    def _exec(self, channel: paramiko.Channel, command: str) -> None:
        from collectors.ssh.script import MARKER

        if self.exec_reply is not None and MARKER in command:
            channel.sendall(self.exec_reply.encode())
            channel.send_exit_status(0)
        else:
            channel.sendall_stderr(b"command not found\n")
            channel.send_exit_status(127)
        channel.shutdown_write()
        # Let the client read everything and hang up before the socket goes.
        deadline = time.monotonic() + 10
        while channel.get_transport() is not None and time.monotonic() < deadline:
            transport = channel.get_transport()
            if transport is None or not transport.is_active() or channel.closed:
                break
            time.sleep(0.02)
        channel.close()
