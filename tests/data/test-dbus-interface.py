#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The D-Bus interface parses as GDBus sees it and documents every member."""

import sys
import unittest
import xml.etree.ElementTree as ElementTree

from gi.repository import Gio

PATH = sys.argv.pop(1)


class DBusInterfaceTest(unittest.TestCase):
    def test_gdbus_parses_it(self):
        with open(PATH, encoding="utf-8") as f:
            node = Gio.DBusNodeInfo.new_for_xml(f.read())
        interface = node.lookup_interface("org.example.HaloSync.Engine1")
        self.assertIsNotNone(interface)
        names = {m.name for m in interface.methods}
        self.assertTrue({"Sync", "Cancel", "CreateFiscalYear", "ListRuns"} <= names)
        self.assertEqual({s.name for s in interface.signals},
                         {"RunStarted", "Progress", "RunFinished", "FiscalYearsChanged", "AgentsChanged"})
        self.assertEqual({p.name for p in interface.properties}, {"CurrentRun", "LastRun", "NextRun"})

    def test_every_member_is_documented(self):
        parser = ElementTree.XMLParser(target=ElementTree.TreeBuilder(insert_comments=True))
        root = ElementTree.parse(PATH, parser).getroot()
        interface = root.find("interface")
        children = list(interface)
        documented = 0
        for index, child in enumerate(children):
            if child.tag not in ("method", "signal", "property"):
                continue
            name = child.get("name")
            comment = children[index - 1] if index > 0 else None
            self.assertIs(comment.tag if comment is not None else None, ElementTree.Comment,
                          f"{child.tag} {name} has no doc comment")
            self.assertIn(f"{name}:", comment.text, f"the comment before {name} does not name it")
            for arg in child.findall("arg"):
                if child.tag == "method" or child.tag == "signal":
                    self.assertIn(f"@{arg.get('name')}", comment.text,
                                  f"argument {arg.get('name')} of {name} is not documented")
            documented += 1
        self.assertGreater(documented, 10)


if __name__ == "__main__":
    unittest.main(verbosity=2)
