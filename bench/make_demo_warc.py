"""Build the small WARC file of the bundled demo corpus.

The demo corpus shows every input format tidings reads, including web archives. A WARC
is binary and awkward to review, so the three pages it holds are kept here as readable
text and the archive is rebuilt from them:

    python bench/make_demo_warc.py

writes ``src/tidings/data/demo/articles/crawl-sample.warc.gz`` (a few KB). Each page becomes one
``response`` record (HTTP 200, text/html) preceded by its ``request`` record, as a
crawler would write them; the WARC-Date is the crawl time, a few hours after
publication. The output is deterministic (fixed record ids and dates), so rebuilding it
without changing the pages gives the same articles.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEMO_DIR = Path(__file__).resolve().parents[1] / "src" / "tidings" / "data" / "demo" / "articles"
OUT = DEMO_DIR / "crawl-sample.warc.gz"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {outlet}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{published}">
</head>
<body>
<header><a href="/">{outlet}</a>
<nav><a href="/world">World</a> <a href="/asia">Asia</a>
<a href="/business">Business</a> <a href="/sport">Sport</a></nav>
</header>
<main>
<article>
<h1>{title}</h1>
<time datetime="{published}">{published_day}</time>
{body}
</article>
</main>
<footer><p>&copy; {outlet}</p><a href="/privacy">Privacy</a> <a href="/contact">Contact</a></footer>
</body>
</html>
"""

PAGES = [
    {
        "url": "https://eastern-mail.example/world/2023/11/16/xi-biden-woodside",
        "outlet": "Eastern Mail",
        "title": "Xi tells Biden turning their backs on each other is not an option",
        "published": "2023-11-16T09:00:00+08:00",
        "crawled": "2023-11-16T05:12:40Z",
        "paragraphs": [
            "SAN FRANCISCO (Eastern Mail) - Chinese President Xi Jinping told U.S. President "
            "Joe Biden on Wednesday that turning their backs on each other was not an option "
            "for the two countries, as the leaders met for the first time in a year at a "
            "historic estate south of San Francisco.",
            "Xi said Taiwan remained the most important and most sensitive issue in relations "
            "and urged Washington to stop arming the island. Biden said the two leaders had "
            "agreed that either could pick up the phone and call the other directly.",
            "The two sides agreed to resume contacts between their militaries and to set up a "
            "working group on fentanyl.",
            "Xi attended a dinner with American business leaders later on Wednesday. Relations "
            "sank to a low in February, when the United States shot down a Chinese balloon "
            "that had flown over its territory.",
        ],
    },
    {
        "url": "https://tokyo-bay-times.example/politics/2023/03/17/yoon-visit-ends",
        "outlet": "Tokyo Bay Times",
        "title": "Yoon ends Tokyo visit after summit to mend ties",
        "published": "2023-03-17T11:00:00+09:00",
        "crawled": "2023-03-17T06:40:03Z",
        "paragraphs": [
            "TOKYO (Tokyo Bay Times) - South Korean President Yoon Suk Yeol met Japanese "
            "business leaders in Tokyo on Friday, a day after his summit with Prime Minister "
            "Fumio Kishida, at which the two neighbours agreed to put years of feuding behind "
            "them.",
            "At Thursday's talks, Kishida and Yoon agreed to resume regular visits by their "
            "leaders, and Seoul said a military intelligence-sharing pact with Tokyo was "
            "fully back in force. Japan said it would ease export "
            "controls on materials used in chipmaking, and Seoul said it would drop its "
            "complaint at the World Trade Organization.",
            "After the summit, Kishida took Yoon to dinner at two restaurants in the Ginza "
            "district, one of them known for its omelette rice.",
            "South Korea's main opposition party criticised the visit at home, saying Yoon had "
            "given too much away on wartime forced labour.",
        ],
    },
    {
        "url": "https://caspian-herald.example/mideast/2025/06/13/israel-strikes-iran",
        "outlet": "Caspian Herald",
        "title": "Israel strikes Iran's nuclear sites, kills top commanders",
        "published": "2025-06-13T14:30:00+03:00",
        "crawled": "2025-06-13T13:05:51Z",
        "paragraphs": [
            "TEL AVIV (Caspian Herald) - Israel launched waves of air strikes on Iran early on "
            "Friday, hitting the Natanz uranium enrichment site and killing the commander of "
            "the Revolutionary Guards, Hossein Salami, and the chief of staff of the armed "
            "forces, Mohammad Bagheri, Iranian state media said.",
            "Prime Minister Benjamin Netanyahu said the operation, which Israel named Rising "
            "Lion, would continue for as many days as it took to remove the threat of an "
            "Iranian nuclear weapon. Several nuclear scientists were also killed.",
            "Supreme Leader Ayatollah Ali Khamenei said Israel would face a bitter and painful "
            "fate. The Israeli military said Iran had launched about 100 drones towards Israel "
            "in response.",
            "U.S. Secretary of State Marco Rubio said the United States was not involved in "
            "the strikes and warned Tehran not to target American interests or personnel.",
        ],
    },
]


def _page_html(page: dict) -> bytes:
    """Render one stored page as the HTML a crawler would have fetched."""
    body = "\n".join(f"<p>{p}</p>" for p in page["paragraphs"])
    html = PAGE.format(
        title=page["title"],
        outlet=page["outlet"],
        published=page["published"],
        published_day=page["published"][:10],
        body=body,
    )
    return html.encode("utf-8")


def build(out: Path = OUT) -> Path:
    """Write the demo WARC (request + response record per page) and return its path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, page in enumerate(PAGES):
            html = _page_html(page)
            common = {"WARC-Date": page["crawled"]}
            parts = urlsplit(page["url"])
            req_headers = StatusAndHeaders(
                f"GET {parts.path} HTTP/1.1",
                [("Host", parts.netloc), ("User-Agent", "tidings-demo/1.0")],
                is_http_request=True,
            )
            request = writer.create_warc_record(
                page["url"],
                "request",
                http_headers=req_headers,
                warc_headers_dict={
                    **common,
                    "WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=2 * i + 1)}>",
                },
            )
            http_headers = StatusAndHeaders(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(html))),
                ],
                protocol="HTTP/1.1",
            )
            response = writer.create_warc_record(
                page["url"],
                "response",
                payload=io.BytesIO(html),
                http_headers=http_headers,
                warc_headers_dict={
                    **common,
                    "WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=2 * i + 2)}>",
                },
            )
            writer.write_record(request)
            writer.write_record(response)
    return out


if __name__ == "__main__":
    path = build()
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(PAGES)} pages)")
