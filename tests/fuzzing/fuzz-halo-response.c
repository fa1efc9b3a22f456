/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-halo-parser.h"

/* A Halo response as the source reads one: the JSON reader, the
 * envelope, and every object through the record parser.  The first byte
 * picks which kind of Halo object the response holds; the rest is the
 * body. */

static const struct
{
  HsHaloKind kind;
  const char *key;  /* the envelope's member holding the rows; NULL: a bare array */
} kinds[] = {
  { HS_HALO_KIND_AGENT, NULL },
  { HS_HALO_KIND_TEAM, NULL },
  { HS_HALO_KIND_CLIENT, "clients" },
  { HS_HALO_KIND_TICKET, "tickets" },
  { HS_HALO_KIND_TIMESHEET_EVENT, NULL },
  { HS_HALO_KIND_ACTION, "actions" },
};

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_auto(HsHaloParseContext) ctx = { 0 };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(HsRecordBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *rows;
  gint64 record_count = -1;
  guint k;

  if (size < 1)
    return 0;

  k = data[0] % G_N_ELEMENTS (kinds);
  body = g_bytes_new (data + 1, size - 1);
  hs_halo_parse_context_init (&ctx, NULL, "GET /api/Fuzz", 1);

  root = hs_halo_parse_json (body, &ctx, &error);
  if (root == NULL)
    return 0;

  rows = hs_halo_parse_rows (root, kinds[k].key, &record_count, &ctx, &error);
  if (rows == NULL)
    return 0;

  batch = hs_record_batch_new (hs_halo_kind_get_stream (kinds[k].kind));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      if (hs_halo_parse_record (kinds[k].kind, json_array_get_element (rows, i), batch, &ctx, &error) ==
          HS_HALO_PARSE_FAILED)
        break;
    }

  return 0;
}
