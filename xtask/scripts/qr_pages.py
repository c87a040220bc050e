"""Render the "pages" QR corpus: setup pages drawn by headless Chromium, captured as screens
are, then degraded as captures are when they travel (screen shares, video calls, chat apps).

Usage: python3 qr_pages.py OUT_DIR SPLIT FIRST_SEED COUNT [--chromedriver PATH] [--chromium PATH]

Each seed makes one image, the same one every run with the same Chromium: the seed chooses the
kind, the payloads, the page and its theme, the screen, the zoom and the degradation. Writes the
images to OUT_DIR and appends one line per image to OUT_DIR/truth.tsv:
`FILE<TAB>KIND<TAB>PAYLOAD...` (no payload for pages without a code). SPLIT only names the
files: the splits are told apart by their seeds and kept in separate directories.

The codes are encoded by segno, not by the Rust encoder of the other corpus, and drawn the
ways services draw them: a small PNG scaled by the browser (smoothed), the same kept
pixelated, an SVG, or a PNG at a few pixels per module shrunk or grown by CSS.
"""

import base64
import hashlib
import io
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import segno
from PIL import Image, ImageFilter

KINDS = [
    "screenshot",
    "zoomed",
    "screen-share",
    "low-contrast",
    "dark",
    "phone",
    "dense-uri",
    "transfer-batch",
    "no-code",
]

ISSUERS = [
    "GitHub", "Example Cloud", "Acme Bank", "Northwind", "Fabrikam ID", "Contoso VPN",
    "Tailspin", "Globex Mail", "Initech SSO", "Umbrella Health", "Hooli", "Vandelay Import",
]
NAMES = ["alice", "bob.smith", "c.jones", "support-desk", "dana", "eve.ops", "frank+2fa"]
DOMAINS = ["example.com", "mail.example.org", "corp.example.net"]

# Light and dark page themes: background, card, text, muted text, accent.
LIGHT = [
    ("#ffffff", "#f6f8fa", "#1f2328", "#59636e", "#1f6feb"),
    ("#f3f4f6", "#ffffff", "#111827", "#6b7280", "#7c3aed"),
    ("#fafaf7", "#ffffff", "#2d2a26", "#75706a", "#c2410c"),
]
DARK = [
    ("#0d1117", "#161b22", "#e6edf3", "#9198a1", "#4493f8"),
    ("#1e1e2e", "#27273a", "#cdd6f4", "#a6adc8", "#89b4fa"),
    ("#202124", "#2d2e31", "#e8eaed", "#9aa0a6", "#8ab4f8"),
]

DESKTOPS = [
    # Physical screen pixels, device-pixel ratio.
    ((1366, 768), 1.0),
    ((1920, 1080), 1.0),
    ((1920, 1200), 1.25),
    ((2560, 1440), 1.25),
    ((2560, 1440), 1.5),
    ((2880, 1800), 2.0),
    ((3840, 2160), 1.5),
    ((3840, 2160), 2.0),
]
PHONES = [((1080, 2400), 2.625), ((1170, 2532), 3.0), ((1080, 2340), 2.75), ((1440, 3200), 3.5)]
ZOOMS = [0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75]
# Sizes screen shares and video calls send: the capture is scaled to one of them.
STREAMS = [(1280, 720), (1366, 768), (1600, 900), (1920, 1080), (960, 540)]


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


def otpauth(rng: random.Random, secret_bytes: int) -> str:
    issuer = rng.choice(ISSUERS)
    account = f"{rng.choice(NAMES)}@{rng.choice(DOMAINS)}"
    secret = b32(rng.randbytes(secret_bytes))
    label = urllib.parse.quote(f"{issuer}:{account}", safe="@:+")
    query = [("secret", secret), ("issuer", issuer)]
    if rng.random() < 0.3:
        query.append(("algorithm", rng.choice(["SHA1", "SHA256", "SHA512"])))
    if rng.random() < 0.3:
        query.append(("digits", rng.choice(["6", "8"])))
    if rng.random() < 0.2:
        query.append(("period", rng.choice(["30", "60"])))
    return f"otpauth://totp/{label}?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number: int, wire: int, body) -> bytes:
    key = varint(number << 3 | wire)
    if wire == 0:
        return key + varint(body)
    return key + varint(len(body)) + body


def transfer_batch(rng: random.Random, accounts: int, index: int, size: int) -> str:
    """An otpauth-migration:// URI as Google Authenticator's export shows it."""
    payload = b""
    for _ in range(accounts):
        issuer = rng.choice(ISSUERS)
        name = f"{rng.choice(NAMES)}@{rng.choice(DOMAINS)}"
        otp = (
            field(1, 2, rng.randbytes(rng.choice([10, 20, 20, 32])))
            + field(2, 2, name.encode())
            + field(3, 2, issuer.encode())
            + field(4, 0, 1)
            + field(5, 0, 1)
            + field(6, 0, 2)
        )
        payload += field(1, 2, otp)
    payload += field(2, 0, 1) + field(3, 0, size) + field(4, 0, index)
    payload += field(5, 0, rng.randrange(1, 2**31))
    data = urllib.parse.quote(base64.b64encode(payload).decode(), safe="")
    return f"otpauth-migration://offline?data={data}"


def payloads_for(kind: str, rng: random.Random) -> list:
    if kind == "no-code":
        return []
    if kind == "dense-uri":
        return [otpauth(rng, rng.randint(32, 64))]
    if kind == "transfer-batch":
        size = rng.randint(1, 3)
        return [transfer_batch(rng, 10, rng.randrange(size), size)]
    # One in five codes of the other kinds is dense too, as long secrets are common.
    if rng.random() < 0.2:
        return [otpauth(rng, rng.randint(32, 64))]
    return [otpauth(rng, rng.choice([10, 16, 20, 20, 20]))]


def code_html(rng: random.Random, payload: str, size: int, fg: str, bg: str, dense: bool) -> str:
    error = rng.choice(["l", "m", "m", "q"] if not dense else ["l", "m"])
    qr = segno.make(payload, error=error, micro=False, boost_error=False)
    style = rng.choice(["png-smooth", "png-pixelated", "svg", "png-scaled"])
    border = rng.choice([1, 2, 4])
    if style == "svg":
        out = io.BytesIO()
        qr.save(out, kind="svg", dark=fg, light=bg, border=border, xmldecl=False, svgns=True)
        data = base64.b64encode(out.getvalue()).decode()
        src = f"data:image/svg+xml;base64,{data}"
        rendering = "auto"
    else:
        # A server-side PNG: one pixel per module, or several (what most libraries return).
        scale = 1 if style != "png-scaled" else rng.choice([3, 4, 5, 6, 8, 10])
        out = io.BytesIO()
        qr.save(out, kind="png", scale=scale, dark=fg, light=bg, border=border)
        data = base64.b64encode(out.getvalue()).decode()
        src = f"data:image/png;base64,{data}"
        rendering = "pixelated" if style == "png-pixelated" else "auto"
    return (
        f'<img alt="QR code" src="{src}" '
        f'style="width:{size}px;height:{size}px;image-rendering:{rendering};display:block;'
        f'margin:12px auto;background:{bg}">'
    )


def page_html(kind: str, rng: random.Random, payloads: list, mobile: bool) -> str:
    dark = kind == "dark" or (kind not in ("low-contrast",) and rng.random() < 0.3)
    bg, card, text, muted, accent = rng.choice(DARK if dark else LIGHT)
    issuer = rng.choice(ISSUERS)
    dense = kind in ("dense-uri", "transfer-batch") or any(len(p) > 120 for p in payloads)
    size = rng.randint(200, 300) if dense else rng.randint(120, 300)
    if mobile:
        size = min(size, 300)
    if kind == "low-contrast":
        # Faded codes: brand colours, a grey theme, a disabled-looking preview.
        fg, code_bg = rng.choice([
            ("#6b7280", "#e5e7eb"), ("#5b6b8c", "#dde3ee"), ("#707070", "#d0d0d0"),
            ("#4b5563", "#9ca3af"), ("#3b82f6", "#dbeafe"), ("#8a8a8a", "#f0f0f0"),
        ])
    elif dark and rng.random() < 0.4:
        # Light-on-dark codes, as some dark themes draw them.
        fg, code_bg = text, card
    else:
        fg, code_bg = "#000000", "#ffffff"
    codes = "".join(code_html(rng, p, size, fg, code_bg, dense) for p in payloads)
    if not payloads:
        # A page of the same kind without a code: an avatar grid and a key in monospace.
        cells = "".join(
            f'<span style="display:inline-block;width:14px;height:14px;margin:1px;'
            f'background:{rng.choice([text, card, accent])}"></span>'
            for _ in range(64)
        )
        codes = f'<div style="width:128px;margin:12px auto;line-height:0">{cells}</div>'
    key = " ".join(b32(rng.randbytes(10))[i:i + 4] for i in range(0, 16, 4))
    width = "100%" if mobile else f"{rng.randint(520, 760)}px"
    steps = "".join(
        f"<li style='margin:6px 0'>{s}</li>"
        for s in [
            "Install an authenticator app on your phone or computer.",
            f"Scan the code below, or enter the setup key by hand. {issuer} never asks for it "
            "by e-mail or phone.",
            "Enter the 6-digit code the app shows to finish.",
        ]
    )
    font = rng.choice(["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Condensed"])
    return f"""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ margin:0; background:{bg}; color:{text}; font-family:'{font}'; font-size:15px; }}
header {{ padding:14px 24px; border-bottom:1px solid {muted}; display:flex; gap:24px; }}
header b {{ color:{accent}; }}
main {{ max-width:{width}; margin:32px auto; padding:24px; background:{card};
  border:1px solid {muted}; border-radius:8px; }}
.muted {{ color:{muted}; font-size:13px; }}
code {{ font-size:16px; letter-spacing:1px; }}
input {{ font-size:18px; padding:6px; width:140px; background:{bg}; color:{text};
  border:1px solid {muted}; }}
button {{ background:{accent}; color:#fff; border:0; padding:8px 18px; border-radius:6px; }}
</style></head><body>
<header><b>{issuer}</b><span>Dashboard</span><span>Settings</span><span>Security</span></header>
<main><h2>Set up two-factor authentication</h2>
<ol>{steps}</ol>{codes}
<p class="muted">Can't scan the code? Setup key:</p><p><code>{key}</code></p>
<p><input placeholder="123456"> <button>Verify</button></p>
<p class="muted">Recovery codes will be shown after this step. Keep them somewhere safe.</p>
</main></body></html>"""


class Browser:
    """Headless Chromium behind chromedriver, spoken to over WebDriver's HTTP protocol."""

    def __init__(self, chromedriver: str, chromium: str):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="qr-pages-profile-")
        self.driver = subprocess.Popen(
            [chromedriver, f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        args = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--hide-scrollbars", "--force-color-profile=srgb", f"--user-data-dir={self.profile}",
        ]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        }}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as reply:
            return json.loads(reply.read())["value"]

    def cdp(self, command: str, params: dict):
        return self.call(
            "POST", f"/session/{self.session}/goog/cdp/execute", {"cmd": command, "params": params}
        )

    def capture(self, html_path: str, css: tuple, scale: float, mobile: bool) -> Image.Image:
        self.cdp("Emulation.setDeviceMetricsOverride", {
            "width": css[0], "height": css[1], "deviceScaleFactor": scale, "mobile": mobile,
        })
        self.call("POST", f"/session/{self.session}/url", {"url": f"file://{html_path}"})
        shot = self.cdp("Page.captureScreenshot", {"format": "png"})
        return Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.driver.terminate()
            self.driver.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)


def degrade(kind: str, rng: random.Random, image: Image.Image, phone: bool):
    """What happens to the capture before someone scans it: (image, file extension, options)."""
    if phone:
        if rng.random() < 0.5:
            return image, "png", {}
        # Sent through a chat app: downscaled a little and recompressed.
        factor = rng.uniform(0.6, 0.9)
        image = image.resize(
            (round(image.width * factor), round(image.height * factor)), Image.BICUBIC
        )
        return image, "jpg", {"quality": rng.randint(50, 85), "subsampling": 2}
    share = kind == "screen-share" or (
        kind in ("dense-uri", "transfer-batch", "low-contrast", "zoomed") and rng.random() < 0.5
    )
    if not share:
        if rng.random() < 0.7:
            return image, "png", {}
        return image, "jpg", {"quality": rng.randint(60, 90), "subsampling": rng.choice([0, 2])}
    # A screen share: scaled to the stream size (rarely an integer factor), smoothed by the
    # encoder, chroma subsampled and compressed; sometimes scaled again to the viewer's window.
    stream = rng.choice([s for s in STREAMS if s[0] < image.width] or [STREAMS[0]])
    ratio = min(stream[0] / image.width, stream[1] / image.height)
    ratio = max(ratio, rng.uniform(0.55, 0.9)) if ratio < 0.5 else ratio
    image = image.resize(
        (round(image.width * ratio), round(image.height * ratio)),
        rng.choice([Image.BILINEAR, Image.BICUBIC, Image.LANCZOS]),
    )
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 0.8)))
    if rng.random() < 0.3:
        up = rng.uniform(1.1, 1.5)
        image = image.resize((round(image.width * up), round(image.height * up)), Image.BILINEAR)
    return image, "jpg", {"quality": rng.randint(25, 70), "subsampling": 2}


def make(seed: int, browser: Browser, workdir: str):
    rng = random.Random(f"qr-pages-{seed}")
    kind = KINDS[seed % len(KINDS)]
    phone = kind == "phone"
    payloads = payloads_for(kind, rng)
    if phone:
        (physical, dpr), zoom = rng.choice(PHONES), 1.0
    else:
        physical, dpr = rng.choice(DESKTOPS)
        zoom = rng.choice([z for z in ZOOMS if z != 1.0]) if kind == "zoomed" else (
            rng.choice(ZOOMS) if rng.random() < 0.4 else 1.0
        )
    # Browser zoom scales CSS pixels to device pixels on top of the device-pixel ratio.
    scale = dpr * zoom
    css = (round(physical[0] / scale), round(physical[1] / scale))
    html = page_html(kind, rng, payloads, phone)
    path = os.path.join(workdir, f"page-{seed}.html")
    with open(path, "w", encoding="utf-8") as out:
        out.write(html)
    image = browser.capture(path, css, scale, phone)
    os.remove(path)
    image, extension, options = degrade(kind, rng, image, phone)
    return kind, payloads, image, extension, options, f"{physical[0]}x{physical[1]}@{scale:g}"


def main() -> None:
    args = sys.argv[1:]
    chromedriver, chromium = "/usr/bin/chromedriver", "/usr/bin/chromium"
    if "--chromedriver" in args:
        at = args.index("--chromedriver")
        chromedriver = args[at + 1]
        del args[at:at + 2]
    if "--chromium" in args:
        at = args.index("--chromium")
        chromium = args[at + 1]
        del args[at:at + 2]
    out_dir, split, first, count = args[0], args[1], int(args[2]), int(args[3])
    os.makedirs(out_dir, exist_ok=True)
    browser = Browser(chromedriver, chromium)
    lines = []
    try:
        with tempfile.TemporaryDirectory(prefix="qr-pages-") as workdir:
            for seed in range(first, first + count):
                kind, payloads, image, extension, options, screen = make(seed, browser, workdir)
                name = f"{split}-{seed:04d}-{kind}-{screen}.{extension}"
                image.save(os.path.join(out_dir, name), **options)
                lines.append("\t".join([name, kind, *payloads]) + "\n")
                print(name, file=sys.stderr)
    finally:
        browser.close()
    with open(os.path.join(out_dir, "truth.tsv"), "a", encoding="utf-8") as truth:
        truth.writelines(lines)
    digest = hashlib.sha256("".join(lines).encode()).hexdigest()[:16]
    print(f"{len(lines)} images, truth {digest}", file=sys.stderr)


if __name__ == "__main__":
    main()
