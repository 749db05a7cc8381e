"""JUnit XML: one testcase per criterion, a failure per gap, so CI systems show gaps natively."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .. import __version__
from ..result import Result
from ..safetext import escape_controls


def to_junit(results: list[Result]) -> str:
    suites = ET.Element("testsuites", name="checker")
    total = failures = errors = 0
    for r in results:
        suite = ET.SubElement(suites, "testsuite", name=r.path, tests="0", failures="0", errors="0", skipped="0")
        n = fails = errs = 0
        props = ET.SubElement(suite, "properties")  # the reproducibility stamp
        for name, value in (("checker.version", __version__), ("pack.version", r.pack.get("version", "")),
                            ("pack.sha256", r.pack.get("sha256", "")), ("submission.sha256", r.sha256)):
            ET.SubElement(props, "property", name=name, value=value)
        for e in r.errors:
            case = ET.SubElement(suite, "testcase", classname=f"{r.pack['id']}", name="read submission")
            ET.SubElement(case, "error", type=e.code, message=e.message).text = e.message
            n, errs = n + 1, errs + 1
        for c in r.criteria:
            case = ET.SubElement(suite, "testcase", classname=f"{r.pack['id']}.{c.id}", name=f"{c.id} {c.text}")
            n += 1
            gaps = [f for f in c.findings if f.severity == "gap"]
            if c.status != "met":  # the status decides, so failures always equal gap + missing
                fails += 1
                failure = ET.SubElement(case, "failure", type=gaps[0].code if gaps else c.status,
                                        message="; ".join(f"{f.code}: {f.message}" for f in gaps) or c.status)
                failure.text = "\n".join(
                    f"[{f.code}] {f.message}" + "".join(f"\n    > {ev}" for ev in f.evidence if ev) for f in gaps)
            out = [] if c.section is None else [
                f"located by {c.section.located_by}: {c.section.heading} ({c.section.words} words)"]
            out += [f"[{f.code}] {f.message}" for f in c.findings if f.severity != "gap"]
            if out:
                ET.SubElement(case, "system-out").text = "\n".join(out)
        if r.findings:
            ET.SubElement(suite, "system-out").text = "\n".join(f"[{f.code}] {f.message}" for f in r.findings)
        suite.set("tests", str(n))
        suite.set("failures", str(fails))
        suite.set("errors", str(errs))
        total, failures, errors = total + n, failures + fails, errors + errs
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", str(errors))
    for el in suites.iter():  # XML 1.0 cannot hold control characters: show them as escapes
        el.text = escape_controls(el.text) if el.text else el.text
        for key, value in el.attrib.items():
            el.set(key, escape_controls(value))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
