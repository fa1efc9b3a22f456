/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-sim-time.h"

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, and much cheaper than a GDateTime per printed date when a
 * response holds a million of them. */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  guint yoe, doy, doe;

  y -= m <= 2;
  era = floor_div (y, 400);
  yoe = (guint) (y - era * 400);
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static void
civil_from_days (gint64  z,
                 gint64 *year,
                 guint  *month,
                 guint  *day)
{
  gint64 era;
  guint doe, yoe, doy, mp;

  z += 719468;
  era = floor_div (z, 146097);
  doe = (guint) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = (gint64) yoe + era * 400 + (*month <= 2);
}

gint64
hs_sim_time_from_ymd (int year,
                      int month,
                      int day)
{
  return days_from_civil (year, (guint) month, (guint) day) * HS_SIM_TICKS_PER_DAY;
}

/* Drops the fraction digits past @digits (0..7), so that printing the
 * value shows exactly that many digits at most. */
gint64
hs_sim_time_truncate (gint64 ticks,
                      guint  digits)
{
  gint64 unit = HS_SIM_TICKS_PER_SECOND;

  for (guint i = 0; i < digits && i < 7; i++)
    unit /= 10;
  return floor_div (ticks, unit) * unit;
}

/* Writes @value as exactly @width decimal digits, zero-padded. */
static void
put_digits (char  *out,
            guint  value,
            guint  width)
{
  for (guint i = width; i > 0; i--)
    {
      out[i - 1] = (char) ('0' + value % 10);
      value /= 10;
    }
}

/* Prints Halo's naive UTC form: no zone designator, and the fraction only
 * as long as it needs to be (trailing zeros trimmed, as .NET does). */
void
hs_sim_time_format (gint64 ticks,
                    char   buf[HS_SIM_TIME_BUF])
{
  gint64 days, year, rest;
  guint month, day, secs, fraction;
  int len;

  if (ticks == HS_SIM_NO_DATE)
    {
      strcpy (buf, "1900-01-01T00:00:00");
      return;
    }

  days = floor_div (ticks, HS_SIM_TICKS_PER_DAY);
  rest = ticks - days * HS_SIM_TICKS_PER_DAY;
  secs = (guint) (rest / HS_SIM_TICKS_PER_SECOND);
  fraction = (guint) (rest % HS_SIM_TICKS_PER_SECOND);
  civil_from_days (days, &year, &month, &day);

  if (year < 0 || year > 9999)
    len = g_snprintf (buf, HS_SIM_TIME_BUF, "%04" G_GINT64_FORMAT "-%02u-%02uT%02u:%02u:%02u",
                      year, month, day, secs / 3600, secs / 60 % 60, secs % 60);
  else
    {
      /* By hand: every record has several dates, and printf was a large
       * share of the simulator's time in a large sync. */
      put_digits (buf, (guint) year, 4);
      buf[4] = '-';
      put_digits (buf + 5, month, 2);
      buf[7] = '-';
      put_digits (buf + 8, day, 2);
      buf[10] = 'T';
      put_digits (buf + 11, secs / 3600, 2);
      buf[13] = ':';
      put_digits (buf + 14, secs / 60 % 60, 2);
      buf[16] = ':';
      put_digits (buf + 17, secs % 60, 2);
      len = 19;
    }

  if (fraction != 0)
    {
      int digits = 7;

      buf[len] = '.';
      put_digits (buf + len + 1, fraction, 7);
      while (buf[len + digits] == '0')
        digits--;
      len += 1 + digits;
    }
  buf[len] = '\0';
}

static gboolean
read_digits (const char **p,
             guint        count,
             int         *value)
{
  *value = 0;
  for (guint i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      *value = *value * 10 + ((*p)[i] - '0');
    }
  *p += count;
  return TRUE;
}

static int
days_in_month (int year,
               int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
    return 29;
  return days[month - 1];
}

/* Accepts what Halo's clients send: `YYYY-MM-DD`, or that followed by `T`
 * (or a space) and `HH:MM[:SS[.f…]]`, with an optional `Z` or `±HH[:]MM`
 * offset.  A value without a zone is UTC, like Halo's own output. */
gboolean
hs_sim_time_parse (const char *text,
                   gint64     *ticks)
{
  const char *p = text;
  int year, month, day, hour = 0, minute = 0, second = 0;
  gint64 fraction = 0, offset = 0;

  if (text == NULL ||
      !read_digits (&p, 4, &year) || *p++ != '-' ||
      !read_digits (&p, 2, &month) || *p++ != '-' ||
      !read_digits (&p, 2, &day))
    return FALSE;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month (year, month))
    return FALSE;

  if (*p == 'T' || *p == 't' || *p == ' ')
    {
      p++;
      if (!read_digits (&p, 2, &hour) || *p++ != ':' || !read_digits (&p, 2, &minute))
        return FALSE;
      if (*p == ':')
        {
          p++;
          if (!read_digits (&p, 2, &second))
            return FALSE;
          if (*p == '.' || *p == ',')
            {
              gint64 scale = HS_SIM_TICKS_PER_SECOND;

              p++;
              if (!g_ascii_isdigit (*p))
                return FALSE;
              for (; g_ascii_isdigit (*p); p++)
                {
                  scale /= 10;
                  fraction += (*p - '0') * scale;
                }
            }
        }
      if (hour > 23 || minute > 59 || second > 60)
        return FALSE;

      if (*p == 'Z' || *p == 'z')
        p++;
      else if (*p == '+' || *p == '-')
        {
          int sign = *p++ == '-' ? -1 : 1;
          int oh, om;

          if (!read_digits (&p, 2, &oh))
            return FALSE;
          if (*p == ':')
            p++;
          if (!read_digits (&p, 2, &om) || oh > 23 || om > 59)
            return FALSE;
          offset = sign * (oh * HS_SIM_TICKS_PER_HOUR + om * HS_SIM_TICKS_PER_MINUTE);
        }
    }

  if (*p != '\0')
    return FALSE;

  *ticks = hs_sim_time_from_ymd (year, month, day) +
           hour * HS_SIM_TICKS_PER_HOUR + minute * HS_SIM_TICKS_PER_MINUTE +
           second * HS_SIM_TICKS_PER_SECOND + fraction - offset;
  return TRUE;
}
