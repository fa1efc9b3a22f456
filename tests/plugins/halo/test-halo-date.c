/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test.h"
#include "hs-halo-date.h"

/* The expected values come from GDateTime, an independent path. */
static gint64
utc (int    year,
     int    month,
     int    day,
     int    hour,
     int    minute,
     int    second,
     gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, second);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + usec;
}

static void
assert_date (const char *text,
             gint64      expected)
{
  gint64 usec = 0;

  g_test_message ("parsing %s", text);
  g_assert_cmpint (hs_halo_date_parse (text, &usec), ==, HS_HALO_DATE_VALID);
  g_assert_cmpint (usec, ==, expected);
}

static void
test_fractions (void)
{
  gint64 base = utc (2024, 7, 3, 9, 12, 44, 0);

  assert_date ("2024-07-03T09:12:44", base);
  assert_date ("2024-07-03T09:12:44.1", base + 100000);
  assert_date ("2024-07-03T09:12:44.12", base + 120000);
  assert_date ("2024-07-03T09:12:44.123", base + 123000);
  assert_date ("2024-07-03T09:12:44.1234", base + 123400);
  assert_date ("2024-07-03T09:12:44.12345", base + 123450);
  assert_date ("2024-07-03T09:12:44.123456", base + 123456);
  /* The 7th digit (100 ns) is below a microsecond: cut, not rounded. */
  assert_date ("2024-07-03T09:12:44.1234567", base + 123456);
  assert_date ("2024-12-31T23:59:59.9999999", utc (2024, 12, 31, 23, 59, 59, 999999));
}

static void
test_zones (void)
{
  gint64 base = utc (2024, 7, 3, 9, 12, 44, 0);

  assert_date ("2024-07-03T09:12:44Z", base);
  assert_date ("2024-07-03T09:12:44z", base);
  assert_date ("2024-07-03T11:12:44+02:00", base);
  assert_date ("2024-07-03T11:12:44+0200", base);
  assert_date ("2024-07-03T04:12:44-05", base);
  assert_date ("2024-07-03T04:42:44.5-04:30", base + 500000);
  assert_date ("2023-06-29T10:16:08.8378294Z", utc (2023, 6, 29, 10, 16, 8, 837829));
  /* Across a day and a year boundary. */
  assert_date ("2025-01-01T01:00:00+02:00", utc (2024, 12, 31, 23, 0, 0, 0));
}

static void
test_forms (void)
{
  assert_date ("2024-07-03", utc (2024, 7, 3, 0, 0, 0, 0));
  assert_date ("2024-07-03T09:12", utc (2024, 7, 3, 9, 12, 0, 0));
  assert_date ("2024-07-03 09:12:44", utc (2024, 7, 3, 9, 12, 44, 0));
  assert_date ("2024-02-29T00:00:00", utc (2024, 2, 29, 0, 0, 0, 0));
  assert_date ("1970-01-01T00:00:00", 0);
  assert_date ("1901-01-01T00:00:00", utc (1901, 1, 1, 0, 0, 0, 0));
  assert_date ("1900-12-31T23:00:00-02:00", utc (1901, 1, 1, 1, 0, 0, 0));
}

static void
test_sentinel (void)
{
  const char *empty[] = {
    "1900-01-01T00:00:00", "1900-01-01T00:00:00.000", "1899-12-30T00:00:00",
    "0001-01-01T00:00:00", "1900-12-31T23:59:59Z",
    /* 1900 in UTC, which is what hs_halo_date_format() would write
     * (found by fuzz-halo-date). */
    "1901-01-01T00:00:44.123+02:00",
  };
  gint64 usec = 42;

  for (guint i = 0; i < G_N_ELEMENTS (empty); i++)
    {
      g_assert_cmpint (hs_halo_date_parse (empty[i], &usec), ==, HS_HALO_DATE_EMPTY);
      g_assert_cmpint (usec, ==, 42);
    }
}

static void
test_invalid (void)
{
  const char *invalid[] = {
    "", "yesterday", "2024-07-03T", "2024-7-3", "2024-02-30T00:00:00",
    "2024-13-01T00:00:00", "2024-07-03T24:00:00", "2024-07-03T09:60:00",
    "2024-07-03T09:12:60", "2024-07-03T09:12:44.", "2024-07-03T09:12:44.12345678",
    "2024-07-03T09:12:44+25:00", "2024-07-03T09:12:44 UTC", "2024-07-03T09:12:44Zjunk",
    "0000-01-01T00:00:00", "2024-07-03T09:12:44+02:0",
  };
  gint64 usec = 42;

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("parsing “%s”", invalid[i]);
      g_assert_cmpint (hs_halo_date_parse (invalid[i], &usec), ==, HS_HALO_DATE_INVALID);
      g_assert_cmpint (usec, ==, 42);
    }
}

static void
test_format (void)
{
  g_autofree char *a = hs_halo_date_format (utc (2025, 7, 1, 0, 0, 0, 0));
  g_autofree char *b = hs_halo_date_format (utc (2025, 7, 1, 8, 30, 15, 999999));
  g_autofree char *c = hs_halo_date_format (0);
  gint64 back = 0;

  g_assert_cmpstr (a, ==, "2025-07-01T00:00:00Z");
  /* Cut down to the second, never rounded up past the value. */
  g_assert_cmpstr (b, ==, "2025-07-01T08:30:15Z");
  g_assert_cmpstr (c, ==, "1970-01-01T00:00:00Z");

  g_assert_cmpint (hs_halo_date_parse (b, &back), ==, HS_HALO_DATE_VALID);
  g_assert_cmpint (back, ==, utc (2025, 7, 1, 8, 30, 15, 0));
}

int
main (int   argc,
      char *argv[])
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/halo/date/fractions", test_fractions);
  g_test_add_func ("/halo/date/zones", test_zones);
  g_test_add_func ("/halo/date/forms", test_forms);
  g_test_add_func ("/halo/date/sentinel", test_sentinel);
  g_test_add_func ("/halo/date/invalid", test_invalid);
  g_test_add_func ("/halo/date/format", test_format);

  return g_test_run ();
}
