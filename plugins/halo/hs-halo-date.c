/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-halo-date.h"

/* Halo sends ISO 8601 without a zone, meaning UTC, with 0 to 7 fraction
 * digits; a few responses carry `Z` or an offset.  The parser is written
 * by hand rather than with GDateTime because a full pull parses a few
 * million dates and GDateTime allocates for each, and because
 * g_date_time_new_from_iso8601() needs a time zone for naive text and
 * rejects fractions longer than microseconds only by rounding quietly. */

static gboolean
read_digits (const char **p,
             guint        n,
             int         *out)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      value = value * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *out = value;
  return TRUE;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), valid for every year GDate accepts. */
static gint64
days_from_civil (int year,
                 int month,
                 int day)
{
  gint64 y = year - (month <= 2 ? 1 : 0);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

static gboolean
parse_offset (const char *p,
              gint64     *offset_usec)
{
  int sign, hours, minutes = 0;

  if (*p == '\0')
    {
      *offset_usec = 0;
      return TRUE;
    }

  if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0')
    {
      *offset_usec = 0;
      return TRUE;
    }

  if (*p != '+' && *p != '-')
    return FALSE;
  sign = *p == '-' ? -1 : 1;
  p++;

  if (!read_digits (&p, 2, &hours) || hours > 23)
    return FALSE;
  if (*p == ':')
    p++;
  if (*p != '\0' && (!read_digits (&p, 2, &minutes) || minutes > 59))
    return FALSE;
  if (*p != '\0')
    return FALSE;

  *offset_usec = sign * ((gint64) hours * 3600 + minutes * 60) * G_USEC_PER_SEC;
  return TRUE;
}

/**
 * hs_halo_date_parse:
 * @text: a date as Halo sends it, such as `2024-07-03T09:12:44.123`
 * @usec: (out): microseconds since the Unix epoch (UTC) when the result
 *   is %HS_HALO_DATE_VALID
 *
 * Accepts `YYYY-MM-DD`, optionally followed by `T` and `HH:MM[:SS]`, 0 to
 * 7 fraction digits (beyond microseconds they are cut off), and `Z` or an
 * offset (`+02:00`, `+0200`, `-05`).  Text without a zone is UTC.  Any
 * time before 1901 in UTC is Halo's "no date": the test is on the instant,
 * not the year as written, so a date and the UTC text
 * hs_halo_date_format() makes of it always read the same.
 *
 * Returns: what @text holds
 */
HsHaloDate
hs_halo_date_parse (const char *text,
                    gint64     *usec)
{
  const char *p = text;
  int year, month, day, hour = 0, minute = 0, second = 0;
  gint64 fraction = 0;
  gint64 offset;
  gint64 days, value;

  g_return_val_if_fail (text != NULL, HS_HALO_DATE_INVALID);
  g_return_val_if_fail (usec != NULL, HS_HALO_DATE_INVALID);

  if (!read_digits (&p, 4, &year) || *p++ != '-' ||
      !read_digits (&p, 2, &month) || *p++ != '-' ||
      !read_digits (&p, 2, &day))
    return HS_HALO_DATE_INVALID;

  if (*p == 'T' || *p == 't' || *p == ' ')
    {
      p++;
      if (!read_digits (&p, 2, &hour) || *p++ != ':' ||
          !read_digits (&p, 2, &minute))
        return HS_HALO_DATE_INVALID;
      if (*p == ':')
        {
          p++;
          if (!read_digits (&p, 2, &second))
            return HS_HALO_DATE_INVALID;
          if (*p == '.' || *p == ',')
            {
              gint64 scale = 100000;
              guint n = 0;

              p++;
              while (g_ascii_isdigit (*p))
                {
                  if (++n > 7)
                    return HS_HALO_DATE_INVALID;
                  fraction += (*p - '0') * scale;
                  scale /= 10;
                  p++;
                }
              if (n == 0)
                return HS_HALO_DATE_INVALID;
            }
        }
    }

  if (!parse_offset (p, &offset))
    return HS_HALO_DATE_INVALID;

  if (year < 1 || !g_date_valid_dmy (day, month, year) ||
      hour > 23 || minute > 59 || second > 59)
    return HS_HALO_DATE_INVALID;

  days = days_from_civil (year, month, day);
  value = ((days * 86400 + hour * 3600 + minute * 60 + second) * G_USEC_PER_SEC) + fraction - offset;
  if (value < days_from_civil (1901, 1, 1) * 86400 * G_USEC_PER_SEC)
    return HS_HALO_DATE_EMPTY;

  *usec = value;
  return HS_HALO_DATE_VALID;
}

/**
 * hs_halo_date_format:
 * @usec: microseconds since the Unix epoch (UTC)
 *
 * Formats a time for a Halo query parameter, cut down to the second
 * (callers round bounds themselves), with `Z` so that no server setting
 * can read it as local time.
 *
 * Returns: (transfer full): text such as `2025-07-01T00:00:00Z`
 */
char *
hs_halo_date_format (gint64 usec)
{
  g_autoptr(GDateTime) dt = NULL;
  gint64 seconds = usec / G_USEC_PER_SEC;

  if (usec < 0 && usec % G_USEC_PER_SEC != 0)
    seconds--;

  dt = g_date_time_new_from_unix_utc (seconds);
  g_return_val_if_fail (dt != NULL, NULL);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}
