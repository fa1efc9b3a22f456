/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <halosync.h>

/* A sink for `test:` URIs that opens without a database: what the loader
 * tests load as a working sink plugin. */

#define HS_TYPE_TEST_SINK (hs_test_sink_get_type ())
G_DECLARE_FINAL_TYPE (HsTestSink, hs_test_sink, HS, TEST_SINK, HsSink)

struct _HsTestSink
{
  HsSink parent_instance;
};

G_DEFINE_FINAL_TYPE (HsTestSink, hs_test_sink, HS_TYPE_SINK)

static const char * const uri_schemes[] = { "test", NULL };

static gboolean
hs_test_sink_open (HsSink       *sink,
                   GCancellable *cancellable,
                   GError      **error)
{
  return TRUE;
}

static void
hs_test_sink_class_init (HsTestSinkClass *klass)
{
  HsSinkClass *sink_class = HS_SINK_CLASS (klass);

  sink_class->uri_schemes = uri_schemes;
  sink_class->open = hs_test_sink_open;
}

static void
hs_test_sink_init (HsTestSink *self)
{
}

HS_PLUGIN_DEFINE (hs_test_sink_get_type)
