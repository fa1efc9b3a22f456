#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Embeds the engine from Python through the build tree's typelib."""

import os
import unittest

import gi

gi.require_version("HaloSync", "1.0")
from gi.repository import GLib, HaloSync  # noqa: E402


class IntrospectionTest(unittest.TestCase):
    def setUp(self):
        os.environ.pop("HALOSYNC_PLUGIN_DIR", None)

    def test_lists_loaded_plugins(self):
        engine = HaloSync.Engine.new(HaloSync.Config.new_with_settings(None))
        engine.get_plugin_loader().add_location(os.environ["HS_TEST_PLUGIN_DIR"])
        with _quiet():
            engine.load_plugins()
        self.assertEqual(engine.list_sources(), ["testsource"])
        self.assertEqual(engine.list_sinks(), ["memorysink", "testsink"])
        skipped = engine.get_plugin_loader().list_skipped()
        self.assertEqual(len(skipped), 3)
        self.assertTrue(any("libhs_plugin_wrongapi" in s for s in skipped))

    def test_fiscal_year_errors(self):
        fy = HaloSync.FiscalYear.new("FY2025", "2024-07-01", "2025-06-30")
        self.assertEqual(fy.get_label(), "FY2025")
        self.assertEqual(fy.props.end, "2025-06-30")
        with self.assertRaises(GLib.GError) as caught:
            HaloSync.FiscalYear.new("FY", "2025-07-01", "2025-06-30")
        self.assertEqual(caught.exception.domain, "hs-error-quark")
        self.assertEqual(caught.exception.code, HaloSync.Error.INVALID_ARGUMENT)

    def test_record_batch(self):
        batch = HaloSync.RecordBatch.new(HaloSync.Stream.TICKETS)
        row = batch.append()
        batch.set_int(row, HaloSync.TicketField.ID, 10452)
        batch.set_text(row, HaloSync.TicketField.SUMMARY, "Drucker offline")
        self.assertEqual(batch.get_n_records(), 1)
        self.assertEqual(batch.get_text(row, HaloSync.TicketField.SUMMARY), "Drucker offline")
        fields = HaloSync.stream_get_fields(HaloSync.Stream.TICKETS)
        self.assertEqual(fields[0].name, "id")


class _quiet:
    """Broken test plugins warn while loading; keep the TAP output clean."""

    def __enter__(self):
        self._handler = GLib.log_set_handler(
            "HaloSync", GLib.LogLevelFlags.LEVEL_WARNING, lambda *a: None, None
        )

    def __exit__(self, *exc):
        GLib.log_remove_handler("HaloSync", self._handler)


if __name__ == "__main__":
    unittest.main(verbosity=2)
