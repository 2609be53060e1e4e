"""A real SMTP server in the test process (aiosmtpd), so mail tests speak the real protocol through
Django's SMTP backend. Addresses in `refused` get a permanent 550; addresses in `busy` get a
transient 451 for their first `busy[address]` tries, then are accepted."""

import socket
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class RefusingHandler:
    refused: set[str] = field(default_factory=set)
    busy: dict[str, int] = field(default_factory=dict)
    received: list[tuple[str, list[str], str]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        if self.busy.get(address, 0) > 0:
            self.busy[address] -= 1
            return f"451 4.3.0 <{address}>: Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 Message accepted for delivery"

    @property
    def recipients(self) -> list[str]:
        return sorted(to for _sender, tos, _content in self.received for to in tos)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(handler: RefusingHandler) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
