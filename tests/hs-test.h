/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>
#include <string.h>

G_BEGIN_DECLS

void hs_test_init            (int           *argc,
                              char        ***argv);
void hs_test_store_result_cb (GObject       *object,
                              GAsyncResult  *result,
                              gpointer       user_data);
void hs_test_wait_for_result (GAsyncResult **result);

double hs_test_proc_cpu_seconds (const char *stat_path);
void   hs_test_remove_tree      (const char *path);

void         hs_test_die_with_parent (gpointer             user_data);
GSubprocess *hs_test_start_keyring   (GSubprocessLauncher *launcher,
                                      const char          *bus_address,
                                      guint                timeout_seconds);

G_END_DECLS
