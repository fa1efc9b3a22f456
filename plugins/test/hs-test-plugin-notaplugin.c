/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gmodule.h>

/* An ordinary shared library that happens to sit in a plugin directory. */

G_MODULE_EXPORT int hs_test_not_a_plugin_answer (void);

G_MODULE_EXPORT int
hs_test_not_a_plugin_answer (void)
{
  return 42;
}
