/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HS_TYPE_DAEMON (hs_daemon_get_type ())

G_DECLARE_FINAL_TYPE (HsDaemon, hs_daemon, HS, DAEMON, GApplication)

HsDaemon *hs_daemon_new (void);

G_END_DECLS
