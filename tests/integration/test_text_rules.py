"""The text rule for every text field a visitor or the owner supplies (the badge's label, a
note), over the whole code-point range, through the programs' own sockets: a code point the
rule refuses is 400 wherever it stands, and every SVG answered 200 parses as XML."""
import json
import random
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from harness.fastcgi import FastCgiConnection
from harness.local_stack import LocalStack

# Every code point a text may not hold, from the rule's words.
def refused(c):
    control = c <= 0x1F or 0x7F <= c <= 0x9F
    noncharacter = 0xFDD0 <= c <= 0xFDEF or (c & 0xFFFF) in (0xFFFE, 0xFFFF)
    bidi = 0x202A <= c <= 0x202E or 0x2066 <= c <= 0x2069
    return control or noncharacter or bidi


# The edges of every class, and a seeded sample of the rest of the range.
EDGES = [0x1F, 0x20, 0x7E, 0x7F, 0x9F, 0xA0, 0x2029, 0x202A, 0x202E, 0x202F, 0x2065, 0x2066,
         0x2069, 0x206A, 0xD7FF, 0xE000, 0xFDCF, 0xFDD0, 0xFDEF, 0xFDF0, 0xFFFD, 0xFFFE, 0xFFFF,
         0x10000, 0x1FFFE, 0x1FFFF, 0x10FFFD, 0x10FFFE, 0x10FFFF]
SAMPLE = EDGES + [c for c in random.Random(24).sample(range(0x110000), 1500)
                  if not 0xD800 <= c <= 0xDFFF]
INVISIBLE_ONLY = ["\u200b", "\u200b\u200c\u200d", "\ufeff", " \u2060 ", "\u00ad\u034f"]


class TextRules(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = LocalStack().start()
        cls.status = FastCgiConnection(cls.stack.dir / "status.sock", timeout=30)
        cls.heartbeat = FastCgiConnection(cls.stack.dir / "heartbeat.sock", timeout=30)

    @classmethod
    def tearDownClass(cls):
        cls.status.close()
        cls.heartbeat.close()
        cls.stack.stop()

    def badge(self, label):
        query = "format=svg&label=" + urllib.parse.quote(label.encode("utf-8", "surrogatepass"))
        return self.status.request({"REQUEST_METHOD": "GET", "QUERY_STRING": query})

    def note(self, text):
        body = json.dumps({"note": {"text": text}}).encode()
        return self.heartbeat.request({"REQUEST_METHOD": "POST", "REMOTE_ADDR": "127.0.0.1",
                                       "HTTP_AUTHORIZATION": f"Bearer {self.stack.token}",
                                       "CONTENT_TYPE": "application/json",
                                       "CONTENT_LENGTH": str(len(body))}, body)[0]

    def test_a_label_of_any_code_point_is_400_or_an_svg_that_parses(self):
        for c in SAMPLE:
            code, headers, body = self.badge(f"a{chr(c)}b")
            with self.subTest(code_point=f"U+{c:04X}"):
                self.assertEqual(code, 400 if refused(c) else 200)
                if code == 200:
                    ET.fromstring(body)  # raises on a document that is not well-formed
                else:
                    self.assertEqual(headers.get("cache-control"), "no-store")

    def test_a_note_of_any_code_point_is_400_or_kept_as_it_is(self):
        for c in SAMPLE[:400]:
            with self.subTest(code_point=f"U+{c:04X}"):
                self.assertEqual(self.note(f"a{chr(c)}b"), 400 if refused(c) else 200)

    def test_a_text_without_a_visible_character_is_400(self):
        for text in INVISIBLE_ONLY:
            with self.subTest(text=text.encode("unicode_escape")):
                self.assertEqual(self.note(text), 400)
                self.assertEqual(self.badge(text)[0], 400)
        self.assertEqual(self.note("\u200bon holiday\u200b"), 200)


if __name__ == "__main__":
    unittest.main()
