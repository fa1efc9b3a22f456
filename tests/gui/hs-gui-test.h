/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>

#include "hs-application.h"
#include "hs-test.h"
#include "hs-test-sim.h"

G_BEGIN_DECLS

typedef gboolean (*HsGuiTestCondition) (gpointer user_data);
typedef void     (*HsGuiTestAppFunc)   (HsApplication *app,
                                        gpointer       user_data);

void       hs_gui_test_init            (int                 *argc,
                                        char              ***argv,
                                        const char          *service_dir);
int        hs_gui_test_run             (void);
gboolean   hs_gui_test_wait_until      (HsGuiTestCondition   condition,
                                        gpointer             user_data,
                                        guint                timeout_seconds);
void       hs_gui_test_spin            (guint                milliseconds);
gpointer   hs_gui_test_get_child       (gpointer             widget,
                                        GType                template_type,
                                        const char          *name);
void       hs_gui_test_save_screenshot (GtkWidget           *widget,
                                        const char          *path);
GtkWidget *hs_gui_test_find_label      (GtkWidget           *root,
                                        const char          *text);
gboolean   hs_gui_test_wait_for_label  (GtkWidget           *root,
                                        const char          *text,
                                        guint                timeout_seconds);
void       hs_gui_test_run_app         (HsGuiTestAppFunc     func,
                                        gpointer             user_data);
gpointer   hs_gui_test_find_window     (HsApplication       *app,
                                        GType                type);
AdwMessageDialog *hs_gui_test_wait_for_message_dialog (HsApplication *app,
                                                       const char    *heading,
                                                       guint          timeout_seconds);

HsTestSim *hs_gui_test_start_service   (const char          *client_secret);
HsIpcEngine1 *hs_gui_test_new_service_proxy (void);

G_END_DECLS
