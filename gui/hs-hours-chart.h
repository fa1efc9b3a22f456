/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_HOURS_CHART (hs_hours_chart_get_type ())

G_DECLARE_FINAL_TYPE (HsHoursChart, hs_hours_chart, HS, HOURS_CHART, GtkWidget)

GtkWidget *hs_hours_chart_new               (void);
void       hs_hours_chart_set_summary       (HsHoursChart *self,
                                             GVariant     *summary);
guint      hs_hours_chart_get_n_members     (HsHoursChart *self);
double     hs_hours_chart_get_total_hours   (HsHoursChart *self);
double     hs_hours_chart_get_billable_hours (HsHoursChart *self);

G_END_DECLS
