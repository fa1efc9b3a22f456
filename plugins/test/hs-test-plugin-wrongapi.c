/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <halosync.h>

/* A plugin built for a future plugin API: the loader must refuse it
 * without calling into it. */

G_MODULE_EXPORT const guint hs_plugin_api_version = HS_PLUGIN_API_VERSION + 1;

G_MODULE_EXPORT GType
hs_plugin_query_type (void)
{
  g_error ("The loader called a plugin built for another plugin API");
  return G_TYPE_INVALID;
}
