"""A tiny two-page sheet in three languages, for the website's tests.

Written into a temporary content folder by `make_content`, so the tests of the
site, the service and the browser do not depend on the real sheets' wording.
The catalogs are complete: the translated editions build without --draft.
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polib
from PIL import Image

SHEET = "tiny-sheet"
TITLES = {"en": "Looking After Your Bones", "es": "Cuidar sus huesos", "vi": "Chăm sóc xương"}

EN_YAML = """\
sheet: tiny-sheet
language: en
series: Test Series
title: Looking After Your Bones
subject: A short sheet used by the website's tests.
keywords: [bones]
publisher:
  name: Example Charity
  website: https://www.example.org
  email: help@example.org
  helpline:
    label: Helpline
    display: Call us
    number: "+1-800-555-0100"
    hours: Weekdays
dates:
  updated: 2026-11-01
  reviewed: 2026-10-15
pages:
  - main:
      - heading: Why bones matter
      - paragraph: Strong bones carry you through the day.
    sidebar:
      - paragraph: Ask your care team.
  - main:
      - paragraph: Keep moving every day.
    sidebar:
      - paragraph: Write your questions down.
"""

TRANSLATIONS = {
    "es": {
        "Test Series": "Serie de prueba",
        "Looking After Your Bones": "Cuidar sus huesos",
        "A short sheet used by the website's tests.": "Una hoja breve para las pruebas del sitio.",
        "bones": "huesos",
        "Helpline": "Línea de ayuda",
        "Call us": "Llámenos",
        "Weekdays": "Días laborables",
        "Why bones matter": "Por qué importan los huesos",
        "Strong bones carry you through the day.": "Los huesos fuertes le sostienen cada día.",
        "Ask your care team.": "Pregunte a su equipo de atención.",
        "Keep moving every day.": "Siga moviéndose cada día.",
        "Write your questions down.": "Anote sus preguntas.",
    },
    "vi": {
        "Test Series": "Loạt thử nghiệm",
        "Looking After Your Bones": "Chăm sóc xương",
        "A short sheet used by the website's tests.": "Một tờ ngắn cho các bài kiểm tra.",
        "bones": "xương",
        "Helpline": "Đường dây trợ giúp",
        "Call us": "Gọi cho chúng tôi",
        "Weekdays": "Các ngày trong tuần",
        "Why bones matter": "Vì sao xương quan trọng",
        "Strong bones carry you through the day.": "Xương chắc khỏe giúp bạn mỗi ngày.",
        "Ask your care team.": "Hãy hỏi nhóm chăm sóc của bạn.",
        "Keep moving every day.": "Hãy vận động mỗi ngày.",
        "Write your questions down.": "Hãy ghi lại câu hỏi của bạn.",
    },
}


def make_content(root: Path) -> Path:
    """A content folder holding tiny-sheet in English, Spanish and Vietnamese."""
    folder = root / "content" / SHEET
    folder.mkdir(parents=True)
    (folder / "en.yaml").write_text(EN_YAML, encoding="utf-8")
    (folder / "glossary.yaml").write_text("names:\n  - Example Charity\n", encoding="utf-8")
    for lang, strings in TRANSLATIONS.items():
        catalog = polib.POFile()
        catalog.metadata = {
            "Language": lang,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
        }
        for source, text in strings.items():
            catalog.append(polib.POEntry(msgid=source, msgstr=text))
        catalog.save(str(folder / f"{lang}.po"))
    return root / "content"


def png_bytes(width: int = 120, height: int = 60, color: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def damaged_jpeg() -> bytes:
    """A photo-like JPEG cut off halfway through its scan data (headers intact)."""
    buffer = io.BytesIO()
    Image.effect_noise((300, 200), 80).convert("RGB").save(buffer, format="JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def damaged_png(kind: str) -> bytes:
    """A PNG whose chunks are all well-formed (right lengths and CRCs) but whose pixels are not.

    "corrupt": the compressed stream is garbage; "short": it stops halfway.
    """
    import struct
    import zlib

    width, height = 120, 60
    raw = b"".join(
        b"\x00" + bytes([(x * 7 + y) % 256 for x in range(width * 3)]) for y in range(height)
    )
    stream = zlib.compress(raw)
    if kind == "corrupt":
        stream = stream[:2] + bytes(b ^ 0x5A for b in stream[2:])
    else:
        stream = stream[: len(stream) // 2]

    def chunk(name: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + name + body + struct.pack(">I", zlib.crc32(name + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", stream) + chunk(b"IEND", b"")
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(app: object) -> Iterator[str]:
    """uvicorn serving `app` on 127.0.0.1 and a free port, in a thread; yields the base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
