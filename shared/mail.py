"""Outgoing mail: SMTP when a host is set, otherwise ``.eml`` files people and tests can open.

Callers send after their transaction committed; a failing mail server is logged
and never undoes the record the mail is about.
"""

from __future__ import annotations

import logging
import os
import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

from shared.clock import utcnow
from shared.settings import Settings

log = logging.getLogger(__name__)


def compose(
    settings: Settings,
    to: str,
    subject: str,
    text: str,
    attachments: list[tuple[str, str, bytes]] | None = None,
) -> EmailMessage:
    """A plain-text message; attachments as (filename, mime type, content)."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@gia.minbzk.nl>"
    message.set_content(text)
    for filename, mime_type, content in attachments or []:
        maintype, subtype = mime_type.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, message: EmailMessage) -> bool:
        """Deliver or store the message; False (and a log line) when it could not be."""
        try:
            if self.settings.smtp_host:
                self._send_smtp(message)
            else:
                self._write_file(message)
        except (OSError, smtplib.SMTPException):
            log.exception("mail to %s not sent", message["To"])
            return False
        return True

    def _send_smtp(self, message: EmailMessage) -> None:
        settings = self.settings
        with smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(message)

    def _write_file(self, message: EmailMessage) -> None:
        folder = self.settings.effective_mail_dir
        folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        partial = path.with_suffix(".part")
        partial.write_bytes(bytes(message))
        os.replace(partial, path)  # readers never see half a message


def sent_messages(folder: Path) -> list[Path]:
    """The stored messages, oldest first."""
    return sorted(folder.glob("*.eml"))
