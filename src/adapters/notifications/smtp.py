"""Sends notification emails over SMTP with the standard library (in a worker thread).

Plain text, UTF-8: subjects and display names in Chinese go out as RFC 2047 encoded words,
a non-ASCII body as base64 UTF-8, so the message is 7-bit and needs neither 8BITMIME nor
SMTPUTF8 from the server. Every message
says its language (Content-Language) and that a machine sent it (Auto-Submitted, so
vacation responders stay quiet).
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, localtime, make_msgid, parseaddr

from application.notifications.ports import EmailNotSent, OutgoingEmail


class SmtpEmailSender:
    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        timeout: float = 15.0,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._timeout = timeout
        self._starttls = starttls
        self._username = username
        self._password = password
        _, self._sender_address = parseaddr(sender)
        self._domain = self._sender_address.rpartition("@")[2] or "shopkeeper.invalid"

    def compose(self, email: OutgoingEmail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = Address(display_name=email.to_name, addr_spec=email.to_address)
        message["Subject"] = email.subject
        message["Date"] = format_datetime(localtime())
        message["Message-ID"] = make_msgid(idstring=email.reference, domain=self._domain)
        message["Auto-Submitted"] = "auto-generated"
        # 7-bit safe whatever the server: no 8BITMIME or SMTPUTF8 needed.
        cte = "7bit" if email.body.isascii() else "base64"
        message.set_content(email.body, charset="utf-8", cte=cte)
        # After set_content, which replaces every Content-* header.
        message["Content-Language"] = email.language
        return message

    async def send(self, email: OutgoingEmail) -> None:
        try:
            message = self.compose(email)
        except (ValueError, IndexError) as error:  # e.g. an address the parser refuses
            raise EmailNotSent(f"cannot compose: {error}", permanent=True) from error
        await asyncio.to_thread(self._send_blocking, message, email.to_address)

    def _send_blocking(self, message: EmailMessage, recipient: str) -> None:
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                if self._starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self._username and self._password:
                    smtp.login(self._username, self._password)
                smtp.send_message(message, from_addr=self._sender_address, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise EmailNotSent(
                f"recipient refused: {codes}", permanent=all(c >= 500 for c in codes)
            ) from error
        except smtplib.SMTPSenderRefused as error:
            # Our sender address or account, not this message: retry once it is fixed.
            raise EmailNotSent(f"sender refused: {error.smtp_code}") from error
        except smtplib.SMTPResponseException as error:
            raise EmailNotSent(
                f"server replied {error.smtp_code}", permanent=error.smtp_code >= 500
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise EmailNotSent(f"{type(error).__name__}: {error}") from error
