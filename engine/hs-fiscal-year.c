/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hs-error.h"
#include "hs-fiscal-year.h"

/* Years at or before 1900 are Halo's "no date" sentinel, so a fiscal year
 * there could never match a record. */
#define MIN_YEAR 1901
#define MAX_YEAR 9998
/* A fiscal year longer than two calendar years is almost certainly a typo
 * in the end date, and would make every run pull far more than intended. */
#define MAX_DAYS 731

/**
 * HsFiscalYear:
 *
 * A labelled date range [start, end] (both days inclusive) that a sync
 * covers.  Its window is [start 00:00 UTC, end + 1 day 00:00 UTC).
 *
 * Instances are immutable; they are only created through
 * hs_fiscal_year_new(), which validates the label and dates.
 */
struct _HsFiscalYear
{
  GObject parent_instance;

  char *label;
  GDate start;
  GDate end;
};

G_DEFINE_FINAL_TYPE (HsFiscalYear, hs_fiscal_year, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_START,
  PROP_END,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hs_fiscal_year_finalize (GObject *object)
{
  HsFiscalYear *self = HS_FISCAL_YEAR (object);

  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (hs_fiscal_year_parent_class)->finalize (object);
}

static void
hs_fiscal_year_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HsFiscalYear *self = HS_FISCAL_YEAR (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_START:
      g_value_take_string (value, hs_fiscal_year_dup_start_text (self));
      break;

    case PROP_END:
      g_value_take_string (value, hs_fiscal_year_dup_end_text (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_fiscal_year_class_init (HsFiscalYearClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hs_fiscal_year_finalize;
  object_class->get_property = hs_fiscal_year_get_property;

  /**
   * HsFiscalYear:label:
   *
   * The unique name of the year, such as "FY2025".
   */
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HsFiscalYear:start:
   *
   * The first day, as `YYYY-MM-DD`.
   */
  properties[PROP_START] =
    g_param_spec_string ("start", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HsFiscalYear:end:
   *
   * The last day (inclusive), as `YYYY-MM-DD`.
   */
  properties[PROP_END] =
    g_param_spec_string ("end", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_fiscal_year_init (HsFiscalYear *self)
{
  g_date_clear (&self->start, 1);
  g_date_clear (&self->end, 1);
}

/**
 * hs_fiscal_year_parse_date:
 * @text: a date as `YYYY-MM-DD`
 * @date: (out caller-allocates): the parsed date
 * @error: return location for an error
 *
 * Parses a calendar date strictly: four-digit year, two-digit month and
 * day, nothing before or after.
 *
 * Returns: %TRUE if @text is a valid date
 */
gboolean
hs_fiscal_year_parse_date (const char *text,
                           GDate      *date,
                           GError    **error)
{
  guint year, month, day;

  g_return_val_if_fail (date != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_date_clear (date, 1);

  if (text == NULL || strlen (text) != 10 ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[2]) || !g_ascii_isdigit (text[3]) || text[4] != '-' ||
      !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[6]) || text[7] != '-' ||
      !g_ascii_isdigit (text[8]) || !g_ascii_isdigit (text[9]))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a date; write it as YYYY-MM-DD, for example 2025-07-01"),
                   text != NULL ? text : "");
      return FALSE;
    }

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);

  if (month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("%s is not a day of the calendar"), text);
      return FALSE;
    }

  if (year < MIN_YEAR || year > MAX_YEAR)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("%s is outside the supported years %d to %d"),
                   text, MIN_YEAR, MAX_YEAR);
      return FALSE;
    }

  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static gboolean
validate_label (const char *label,
                GError    **error)
{
  if (label == NULL || *label == '\0')
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("A fiscal year needs a label, for example FY2025"));
      return FALSE;
    }

  if (!g_utf8_validate (label, -1, NULL))
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("The fiscal-year label is not valid UTF-8 text"));
      return FALSE;
    }

  if (g_utf8_strlen (label, -1) > HS_FISCAL_YEAR_MAX_LABEL)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("The fiscal-year label is longer than %d characters"),
                   HS_FISCAL_YEAR_MAX_LABEL);
      return FALSE;
    }

  if (g_unichar_isspace (g_utf8_get_char (label)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_find_prev_char (label, label + strlen (label)))))
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("The fiscal-year label must not begin or end with a space"));
      return FALSE;
    }

  for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                               _("The fiscal-year label must not contain control characters"));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * hs_fiscal_year_new:
 * @label: a unique name such as "FY2025"
 * @start: the first day, `YYYY-MM-DD`
 * @end: the last day (inclusive), `YYYY-MM-DD`
 * @error: return location for an error
 *
 * Validates and creates a fiscal year.  The label must be 1 to
 * %HS_FISCAL_YEAR_MAX_LABEL characters without control characters or
 * surrounding spaces; the end may not be before the start, and the year
 * may not span more than 731 days.
 *
 * Returns: (transfer full) (nullable): the fiscal year, or %NULL with
 *   @error set to %HS_ERROR_INVALID_ARGUMENT
 */
HsFiscalYear *
hs_fiscal_year_new (const char *label,
                    const char *start,
                    const char *end,
                    GError    **error)
{
  g_autoptr(HsFiscalYear) self = NULL;
  GDate start_date, end_date;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!validate_label (label, error))
    return NULL;

  if (!hs_fiscal_year_parse_date (start, &start_date, &local_error))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("Start date: %s"), local_error->message);
      return NULL;
    }

  if (!hs_fiscal_year_parse_date (end, &end_date, &local_error))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("End date: %s"), local_error->message);
      return NULL;
    }

  if (g_date_compare (&end_date, &start_date) < 0)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("The fiscal year ends (%s) before it starts (%s)"), end, start);
      return NULL;
    }

  if (g_date_days_between (&start_date, &end_date) >= MAX_DAYS)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("A fiscal year may span at most two years; check the end date %s"), end);
      return NULL;
    }

  self = g_object_new (HS_TYPE_FISCAL_YEAR, NULL);
  self->label = g_strdup (label);
  self->start = start_date;
  self->end = end_date;
  return g_steal_pointer (&self);
}

/**
 * hs_fiscal_year_get_label:
 * @self: a fiscal year
 *
 * Returns: the label
 */
const char *
hs_fiscal_year_get_label (HsFiscalYear *self)
{
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (self), NULL);

  return self->label;
}

/**
 * hs_fiscal_year_get_start:
 * @self: a fiscal year
 *
 * Returns: (transfer none): the first day
 */
const GDate *
hs_fiscal_year_get_start (HsFiscalYear *self)
{
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (self), NULL);

  return &self->start;
}

/**
 * hs_fiscal_year_get_end:
 * @self: a fiscal year
 *
 * Returns: (transfer none): the last day, inclusive
 */
const GDate *
hs_fiscal_year_get_end (HsFiscalYear *self)
{
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (self), NULL);

  return &self->end;
}

static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

/**
 * hs_fiscal_year_dup_start_text:
 * @self: a fiscal year
 *
 * Returns: (transfer full): the first day as `YYYY-MM-DD`
 */
char *
hs_fiscal_year_dup_start_text (HsFiscalYear *self)
{
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (self), NULL);

  return format_date (&self->start);
}

/**
 * hs_fiscal_year_dup_end_text:
 * @self: a fiscal year
 *
 * Returns: (transfer full): the last day as `YYYY-MM-DD`
 */
char *
hs_fiscal_year_dup_end_text (HsFiscalYear *self)
{
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (self), NULL);

  return format_date (&self->end);
}

static gint64
date_to_usec (const GDate *date)
{
  /* Julian day 719163 is 1970-01-01 in GDate's proleptic Gregorian count. */
  return ((gint64) g_date_get_julian (date) - 719163) * G_USEC_PER_SEC * 86400;
}

/**
 * hs_fiscal_year_get_window_start:
 * @self: a fiscal year
 *
 * Returns: the start of the window, the first day at 00:00 UTC, in
 *   microseconds since the Unix epoch
 */
gint64
hs_fiscal_year_get_window_start (HsFiscalYear *self)
{
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (self), 0);

  return date_to_usec (&self->start);
}

/**
 * hs_fiscal_year_get_window_end:
 * @self: a fiscal year
 *
 * Returns: the exclusive end of the window, the day after the last day at
 *   00:00 UTC, in microseconds since the Unix epoch
 */
gint64
hs_fiscal_year_get_window_end (HsFiscalYear *self)
{
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (self), 0);

  return date_to_usec (&self->end) + (gint64) G_USEC_PER_SEC * 86400;
}

/**
 * hs_fiscal_year_overlaps:
 * @self: a fiscal year
 * @other: another fiscal year
 *
 * Returns: %TRUE if the two years share at least one day
 */
gboolean
hs_fiscal_year_overlaps (HsFiscalYear *self,
                         HsFiscalYear *other)
{
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (self), FALSE);
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (other), FALSE);

  return g_date_compare (&self->start, &other->end) <= 0 &&
         g_date_compare (&other->start, &self->end) <= 0;
}

/**
 * hs_fiscal_year_check_conflicts:
 * @self: a fiscal year about to be created
 * @existing: (element-type HsFiscalYear): the fiscal years already stored
 * @error: return location for an error
 *
 * Checks that no existing year has the same label (%HS_ERROR_EXISTS) or
 * shares a day with @self (%HS_ERROR_CONFLICT).  The engine checks every
 * year against the stored ones with this before any sink stores it.
 *
 * Returns: %TRUE if @self can be added
 */
gboolean
hs_fiscal_year_check_conflicts (HsFiscalYear *self,
                                GPtrArray    *existing,
                                GError      **error)
{
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (self), FALSE);
  g_return_val_if_fail (existing != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < existing->len; i++)
    {
      HsFiscalYear *other = g_ptr_array_index (existing, i);

      if (g_strcmp0 (other->label, self->label) == 0)
        {
          g_set_error (error, HS_ERROR, HS_ERROR_EXISTS,
                       _("A fiscal year called “%s” already exists"), self->label);
          return FALSE;
        }
    }

  for (guint i = 0; i < existing->len; i++)
    {
      HsFiscalYear *other = g_ptr_array_index (existing, i);

      if (hs_fiscal_year_overlaps (self, other))
        {
          g_autofree char *other_start = hs_fiscal_year_dup_start_text (other);
          g_autofree char *other_end = hs_fiscal_year_dup_end_text (other);

          g_set_error (error, HS_ERROR, HS_ERROR_CONFLICT,
                       _("“%s” overlaps the fiscal year “%s” (%s to %s); fiscal years may not share days"),
                       self->label, other->label, other_start, other_end);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * hs_fiscal_year_find_latest:
 * @years: (element-type HsFiscalYear): fiscal years
 * @today: (nullable): the date to go by; %NULL for today in UTC
 *
 * The one meaning of "the latest fiscal year", the one a sync without a
 * named year syncs, every hour among others: the year that began last,
 * of those that have begun by @today.  A year created ahead of time is
 * not the latest until its first day.  When no year has begun yet, it is
 * the one that begins first.
 *
 * Returns: (transfer none) (nullable): the latest year, or %NULL if
 *   @years is empty
 */
HsFiscalYear *
hs_fiscal_year_find_latest (GPtrArray   *years,
                            const GDate *today)
{
  HsFiscalYear *latest = NULL, *first = NULL;
  GDate now;

  g_return_val_if_fail (years != NULL, NULL);

  if (today == NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();

      g_date_clear (&now, 1);
      g_date_set_dmy (&now, g_date_time_get_day_of_month (utc), g_date_time_get_month (utc),
                      g_date_time_get_year (utc));
      today = &now;
    }

  for (guint i = 0; i < years->len; i++)
    {
      HsFiscalYear *year = g_ptr_array_index (years, i);

      if (first == NULL || g_date_compare (&year->start, &first->start) < 0)
        first = year;
      if (g_date_compare (&year->start, today) <= 0 &&
          (latest == NULL || g_date_compare (&year->start, &latest->start) > 0))
        latest = year;
    }

  return latest != NULL ? latest : first;
}
