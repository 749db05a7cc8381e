"""Clark-notation tag names for the WordprocessingML we read (W.p == "{...main}p")."""

from __future__ import annotations

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V_NS = "urn:schemas-microsoft-com:vml"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


class _Names:
    def __init__(self, ns: str) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> str:
        tag = f"{{{self._ns}}}{name}"
        setattr(self, name, tag)
        return tag


W = _Names(W_NS)
MC = _Names(MC_NS)
WPS = _Names(WPS_NS)
V = _Names(V_NS)
M = _Names(M_NS)


def wattr(el: etree._Element, name: str) -> str | None:
    return el.get(f"{{{W_NS}}}{name}")
