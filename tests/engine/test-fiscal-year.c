/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test.h"

static void
test_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsFiscalYear) fy = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autoptr(GDateTime) window_start = NULL;
  g_autoptr(GDateTime) window_end = NULL;

  fy = hs_fiscal_year_new ("FY2025", "2024-07-01", "2025-06-30", &error);
  g_assert_no_error (error);
  g_assert_nonnull (fy);
  g_assert_cmpstr (hs_fiscal_year_get_label (fy), ==, "FY2025");

  start = hs_fiscal_year_dup_start_text (fy);
  end = hs_fiscal_year_dup_end_text (fy);
  g_assert_cmpstr (start, ==, "2024-07-01");
  g_assert_cmpstr (end, ==, "2025-06-30");

  /* The window is [start 00:00 UTC, day after end 00:00 UTC). */
  window_start = g_date_time_new_from_unix_utc (hs_fiscal_year_get_window_start (fy) / G_USEC_PER_SEC);
  window_end = g_date_time_new_from_unix_utc (hs_fiscal_year_get_window_end (fy) / G_USEC_PER_SEC);
  g_assert_cmpint (g_date_time_get_year (window_start), ==, 2024);
  g_assert_cmpint (g_date_time_get_month (window_start), ==, 7);
  g_assert_cmpint (g_date_time_get_day_of_month (window_start), ==, 1);
  g_assert_cmpint (g_date_time_get_hour (window_start), ==, 0);
  g_assert_cmpint (g_date_time_get_year (window_end), ==, 2025);
  g_assert_cmpint (g_date_time_get_month (window_end), ==, 7);
  g_assert_cmpint (g_date_time_get_day_of_month (window_end), ==, 1);
  g_assert_cmpint (hs_fiscal_year_get_window_start (fy) % G_USEC_PER_SEC, ==, 0);

  /* Non-ASCII labels and a one-day year are fine. */
  g_clear_object (&fy);
  fy = hs_fiscal_year_new ("Geschäftsjahr 2026/27", "2026-04-01", "2026-04-01", &error);
  g_assert_no_error (error);
  g_assert_nonnull (fy);

  /* A leap day is a day of the calendar in a leap year. */
  g_clear_object (&fy);
  fy = hs_fiscal_year_new ("Leap", "2024-02-29", "2025-02-28", &error);
  g_assert_no_error (error);
  g_assert_nonnull (fy);
}

static void
assert_invalid (const char *label,
                const char *start,
                const char *end,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsFiscalYear) fy = NULL;

  fy = hs_fiscal_year_new (label, start, end, &error);
  g_assert_null (fy);
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
test_start_after_end (void)
{
  assert_invalid ("FY", "2025-07-01", "2025-06-30", "ends (2025-06-30) before it starts (2025-07-01)");
}

static void
test_bad_date_text (void)
{
  assert_invalid ("FY", "2025-7-1", "2026-06-30", "YYYY-MM-DD");
  assert_invalid ("FY", "01/07/2025", "2026-06-30", "YYYY-MM-DD");
  assert_invalid ("FY", "2025-07-01T00:00", "2026-06-30", "YYYY-MM-DD");
  assert_invalid ("FY", " 2025-07-01", "2026-06-30", "YYYY-MM-DD");
  assert_invalid ("FY", "", "2026-06-30", "YYYY-MM-DD");
  assert_invalid ("FY", NULL, "2026-06-30", "YYYY-MM-DD");
  assert_invalid ("FY", "2025-13-01", "2026-06-30", "not a day of the calendar");
  assert_invalid ("FY", "2025-02-29", "2026-06-30", "not a day of the calendar");
  assert_invalid ("FY", "2025-04-00", "2026-06-30", "not a day of the calendar");
  assert_invalid ("FY", "1900-01-01", "1900-12-31", "outside the supported years");
  assert_invalid ("FY", "2025-07-01", "2025-06-3x", "End date");
}

static void
test_bad_label (void)
{
  g_autofree char *long_label = g_strnfill (HS_FISCAL_YEAR_MAX_LABEL + 1, 'x');

  assert_invalid ("", "2025-01-01", "2025-12-31", "needs a label");
  assert_invalid (NULL, "2025-01-01", "2025-12-31", "needs a label");
  assert_invalid (long_label, "2025-01-01", "2025-12-31", "longer than 64");
  assert_invalid (" FY", "2025-01-01", "2025-12-31", "space");
  assert_invalid ("FY ", "2025-01-01", "2025-12-31", "space");
  assert_invalid ("FY\n2025", "2025-01-01", "2025-12-31", "control characters");
  assert_invalid ("FY\xff", "2025-01-01", "2025-12-31", "UTF-8");
}

static void
test_too_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsFiscalYear) fy = NULL;

  assert_invalid ("FY", "2025-01-01", "2027-01-02", "at most two years");

  /* 731 days (two years including a leap day) is the longest allowed. */
  fy = hs_fiscal_year_new ("FY", "2024-01-01", "2025-12-31", &error);
  g_assert_no_error (error);
}

static GPtrArray *
make_years (void)
{
  GPtrArray *years = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (years, hs_fiscal_year_new ("FY2024", "2023-07-01", "2024-06-30", NULL));
  g_ptr_array_add (years, hs_fiscal_year_new ("FY2025", "2024-07-01", "2025-06-30", NULL));
  return years;
}

static void
test_overlap (void)
{
  g_autoptr(GPtrArray) years = make_years ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsFiscalYear) next = NULL;
  g_autoptr(HsFiscalYear) overlapping = NULL;
  g_autoptr(HsFiscalYear) inside = NULL;
  g_autoptr(HsFiscalYear) around = NULL;

  next = hs_fiscal_year_new ("FY2026", "2025-07-01", "2026-06-30", NULL);
  g_assert_true (hs_fiscal_year_check_conflicts (next, years, &error));
  g_assert_no_error (error);

  /* Sharing only the last day is an overlap: end dates are inclusive. */
  overlapping = hs_fiscal_year_new ("FY2026", "2025-06-30", "2026-06-29", NULL);
  g_assert_false (hs_fiscal_year_check_conflicts (overlapping, years, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "FY2025"));
  g_assert_nonnull (strstr (error->message, "2024-07-01 to 2025-06-30"));
  g_clear_error (&error);

  inside = hs_fiscal_year_new ("Q3", "2024-01-01", "2024-03-31", NULL);
  g_assert_false (hs_fiscal_year_check_conflicts (inside, years, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_CONFLICT);
  g_clear_error (&error);

  around = hs_fiscal_year_new ("Big", "2023-01-01", "2024-12-31", NULL);
  g_assert_true (hs_fiscal_year_overlaps (around, g_ptr_array_index (years, 0)));
  g_assert_true (hs_fiscal_year_overlaps (g_ptr_array_index (years, 1), around));
  g_assert_false (hs_fiscal_year_overlaps (g_ptr_array_index (years, 0), g_ptr_array_index (years, 1)));
}

static void
test_duplicate_label (void)
{
  g_autoptr(GPtrArray) years = make_years ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsFiscalYear) duplicate = NULL;

  /* The label check comes first even when the dates do not overlap. */
  duplicate = hs_fiscal_year_new ("FY2025", "2030-07-01", "2031-06-30", NULL);
  g_assert_false (hs_fiscal_year_check_conflicts (duplicate, years, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "“FY2025” already exists"));
}

static void
test_properties (void)
{
  g_autoptr(HsFiscalYear) fy = hs_fiscal_year_new ("FY2025", "2024-07-01", "2025-06-30", NULL);
  g_autofree char *label = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  g_object_get (fy, "label", &label, "start", &start, "end", &end, NULL);
  g_assert_cmpstr (label, ==, "FY2025");
  g_assert_cmpstr (start, ==, "2024-07-01");
  g_assert_cmpstr (end, ==, "2025-06-30");
  g_assert_cmpint (g_date_get_year (hs_fiscal_year_get_end (fy)), ==, 2025);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/fiscal-year/valid", test_valid);
  g_test_add_func ("/fiscal-year/start-after-end", test_start_after_end);
  g_test_add_func ("/fiscal-year/bad-date-text", test_bad_date_text);
  g_test_add_func ("/fiscal-year/bad-label", test_bad_label);
  g_test_add_func ("/fiscal-year/too-long", test_too_long);
  g_test_add_func ("/fiscal-year/overlap", test_overlap);
  g_test_add_func ("/fiscal-year/duplicate-label", test_duplicate_label);
  g_test_add_func ("/fiscal-year/properties", test_properties);

  return g_test_run ();
}
