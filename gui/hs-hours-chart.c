/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-hours-chart.h"

#define PADDING 12.0
#define ROW_HEIGHT 34.0
#define BAR_HEIGHT 16.0
#define LEGEND_HEIGHT 28.0
#define SWATCH 12.0
#define GAP 12.0

/**
 * HsHoursChart:
 *
 * A horizontal bar chart of the hours each team member logged in a
 * fiscal year, longest bar first.  The solid part of a bar is billable
 * time, the pale rest is not.  Text takes the theme's foreground colour
 * and bars its accent colour, so the chart reads in light and dark
 * styles alike.
 */

typedef struct
{
  char *member;    /* (owned) empty for agents without a mapping */
  char *team;      /* (owned) */
  double hours;
  double billable;
} Bar;

struct _HsHoursChart
{
  GtkWidget parent_instance;

  GArray *bars;    /* (owned) (element-type Bar) longest first */
};

G_DEFINE_FINAL_TYPE (HsHoursChart, hs_hours_chart, GTK_TYPE_WIDGET)

static void
bar_clear (gpointer data)
{
  Bar *bar = data;

  g_free (bar->member);
  g_free (bar->team);
}

static int
compare_bars (gconstpointer a,
              gconstpointer b)
{
  const Bar *bar_a = a;
  const Bar *bar_b = b;

  if (bar_a->hours != bar_b->hours)
    return bar_a->hours > bar_b->hours ? -1 : 1;
  return g_utf8_collate (bar_a->member, bar_b->member);
}

static const char *
bar_name (const Bar *bar)
{
  return bar->member[0] != '\0' ? bar->member : _("Unmapped agents");
}

static char *
format_hours (double hours)
{
  /* Translators: hours logged, "123.5 h" */
  return g_strdup_printf (_("%.1f h"), hours);
}

static PangoLayout *
make_layout (HsHoursChart *self,
             const char   *text)
{
  return gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
}

static int
layout_width (PangoLayout *layout)
{
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static void
get_colors (HsHoursChart *self,
            GdkRGBA      *foreground,
            GdkRGBA      *accent)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, foreground);
  /* libadwaita defines the accent colour for both styles; a plain GTK
   * theme may not, so fall back to a blue that reads on light and dark. */
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", accent))
    gdk_rgba_parse (accent, "#3584e4");
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             double         x,
             double         y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x, (float) y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
append_swatch (GtkSnapshot   *snapshot,
               double         x,
               double         y,
               const GdkRGBA *color)
{
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT ((float) x, (float) y, SWATCH, SWATCH));
}

static void
hs_hours_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  HsHoursChart *self = HS_HOURS_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double label_width = 0, value_width = 0, max_hours = 0, bar_x, bar_space, x;
  GdkRGBA foreground, accent, pale;
  g_autoptr(PangoLayout) billable_layout = NULL;
  g_autoptr(PangoLayout) other_layout = NULL;

  if (self->bars->len == 0)
    return;

  get_colors (self, &foreground, &accent);
  pale = accent;
  pale.alpha *= 0.35f;

  /* Legend */
  billable_layout = make_layout (self, _("Billable"));
  other_layout = make_layout (self, _("Not billable"));
  x = PADDING;
  append_swatch (snapshot, x, PADDING + 3, &accent);
  x += SWATCH + 6;
  append_text (snapshot, billable_layout, x, PADDING, &foreground);
  x += layout_width (billable_layout) + GAP * 2;
  append_swatch (snapshot, x, PADDING + 3, &pale);
  x += SWATCH + 6;
  append_text (snapshot, other_layout, x, PADDING, &foreground);

  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      g_autoptr(PangoLayout) name = make_layout (self, bar_name (bar));
      g_autofree char *hours = format_hours (bar->hours);
      g_autoptr(PangoLayout) value = make_layout (self, hours);

      label_width = MAX (label_width, layout_width (name));
      value_width = MAX (value_width, layout_width (value));
      max_hours = MAX (max_hours, bar->hours);
    }

  /* Long names must not squeeze the bars to nothing. */
  label_width = MIN (label_width, width * 0.4);
  bar_x = PADDING + label_width + GAP;
  bar_space = MAX (1.0, width - bar_x - GAP - value_width - PADDING);

  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      double y = PADDING + LEGEND_HEIGHT + i * ROW_HEIGHT;
      double bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2;
      double length = max_hours > 0 ? bar_space * bar->hours / max_hours : 0;
      double billable = bar->hours > 0 ? length * MIN (bar->billable, bar->hours) / bar->hours : 0;
      g_autoptr(PangoLayout) name = make_layout (self, bar_name (bar));
      g_autofree char *hours = format_hours (bar->hours);
      g_autoptr(PangoLayout) value = make_layout (self, hours);
      int text_height;
      GskRoundedRect rounded;

      pango_layout_set_width (name, (int) (label_width * PANGO_SCALE));
      pango_layout_set_ellipsize (name, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (name, NULL, &text_height);
      append_text (snapshot, name, PADDING, y + (ROW_HEIGHT - text_height) / 2, &foreground);

      gsk_rounded_rect_init_from_rect (&rounded,
                                       &GRAPHENE_RECT_INIT ((float) bar_x, (float) bar_y,
                                                            (float) MAX (length, 2.0), BAR_HEIGHT),
                                       4.0f);
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, &pale,
                                 &GRAPHENE_RECT_INIT ((float) bar_x, (float) bar_y,
                                                      (float) MAX (length, 2.0), BAR_HEIGHT));
      gtk_snapshot_append_color (snapshot, &accent,
                                 &GRAPHENE_RECT_INIT ((float) bar_x, (float) bar_y,
                                                      (float) billable, BAR_HEIGHT));
      gtk_snapshot_pop (snapshot);

      append_text (snapshot, value, bar_x + length + GAP / 2,
                   y + (ROW_HEIGHT - text_height) / 2, &foreground);
    }
}

static void
hs_hours_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  HsHoursChart *self = HS_HOURS_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 600;
    }
  else
    {
      *minimum = *natural = self->bars->len == 0
        ? 0
        : (int) (2 * PADDING + LEGEND_HEIGHT + self->bars->len * ROW_HEIGHT);
    }
}

static void
update_accessible_description (HsHoursChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* The bars are pixels; a screen reader gets the same numbers as text. */
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      g_autofree char *hours = format_hours (bar->hours);
      g_autofree char *billable = format_hours (bar->billable);

      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: "Alice: 120.0 h, 80.0 h billable" */
      g_string_append_printf (text, _("%s: %s, %s billable"), bar_name (bar), hours, billable);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

/**
 * hs_hours_chart_set_summary:
 * @self: the chart
 * @summary: (nullable): the service's summary, `a(sssdduu)`: member,
 *   team, month, hours, billable hours, tickets opened and closed
 *
 * Shows the summary's hours per member over all its months.
 */
void
hs_hours_chart_set_summary (HsHoursChart *self,
                            GVariant     *summary)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantIter iter;
  const char *member, *team, *month;
  double hours, billable;
  guint32 opened, closed;

  g_return_if_fail (HS_IS_HOURS_CHART (self));
  g_return_if_fail (summary == NULL || g_variant_is_of_type (summary, G_VARIANT_TYPE ("a(sssdduu)")));

  g_array_set_size (self->bars, 0);

  if (summary != NULL)
    {
      g_variant_iter_init (&iter, summary);
      while (g_variant_iter_next (&iter, "(&s&s&sdduu)", &member, &team, &month,
                                  &hours, &billable, &opened, &closed))
        {
          gpointer position;
          Bar *bar;

          if (!g_hash_table_lookup_extended (index, member, NULL, &position))
            {
              Bar new_bar = { g_strdup (member), g_strdup (team), 0, 0 };

              g_array_append_val (self->bars, new_bar);
              position = GUINT_TO_POINTER (self->bars->len - 1);
              g_hash_table_insert (index, new_bar.member, position);
            }
          bar = &g_array_index (self->bars, Bar, GPOINTER_TO_UINT (position));
          bar->hours += hours;
          bar->billable += billable;
        }
      g_array_sort (self->bars, compare_bars);
    }

  update_accessible_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
hs_hours_chart_get_n_members (HsHoursChart *self)
{
  g_return_val_if_fail (HS_IS_HOURS_CHART (self), 0);
  return self->bars->len;
}

double
hs_hours_chart_get_total_hours (HsHoursChart *self)
{
  double total = 0;

  g_return_val_if_fail (HS_IS_HOURS_CHART (self), 0);

  for (guint i = 0; i < self->bars->len; i++)
    total += g_array_index (self->bars, Bar, i).hours;
  return total;
}

double
hs_hours_chart_get_billable_hours (HsHoursChart *self)
{
  double total = 0;

  g_return_val_if_fail (HS_IS_HOURS_CHART (self), 0);

  for (guint i = 0; i < self->bars->len; i++)
    total += g_array_index (self->bars, Bar, i).billable;
  return total;
}

static void
hs_hours_chart_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (hs_hours_chart_parent_class)->css_changed (widget, change);
  /* Switching between light and dark changes the colours we draw with. */
  gtk_widget_queue_draw (widget);
}

static void
hs_hours_chart_finalize (GObject *object)
{
  HsHoursChart *self = HS_HOURS_CHART (object);

  g_clear_pointer (&self->bars, g_array_unref);

  G_OBJECT_CLASS (hs_hours_chart_parent_class)->finalize (object);
}

static void
hs_hours_chart_class_init (HsHoursChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = hs_hours_chart_finalize;
  widget_class->snapshot = hs_hours_chart_snapshot;
  widget_class->measure = hs_hours_chart_measure;
  widget_class->css_changed = hs_hours_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "hourschart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hs_hours_chart_init (HsHoursChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, bar_clear);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Hours per team member"),
                                  -1);
}

GtkWidget *
hs_hours_chart_new (void)
{
  return g_object_new (HS_TYPE_HOURS_CHART, NULL);
}
