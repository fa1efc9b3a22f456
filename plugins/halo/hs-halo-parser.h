/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * HsHaloKind:
 * @HS_HALO_KIND_AGENT: an agent of `/api/Agent` (%HS_STREAM_AGENTS)
 * @HS_HALO_KIND_TEAM: a team of `/api/Team` (%HS_STREAM_TEAMS)
 * @HS_HALO_KIND_CLIENT: a client of `/api/Client` (%HS_STREAM_CLIENTS)
 * @HS_HALO_KIND_TICKET: a ticket of `/api/Tickets` (%HS_STREAM_TICKETS)
 * @HS_HALO_KIND_TIMESHEET_EVENT: an event of `/api/TimesheetEvent`
 *   (%HS_STREAM_TIME_ENTRIES)
 * @HS_HALO_KIND_ACTION: an action of `/api/Actions`
 *   (%HS_STREAM_TIME_ENTRIES)
 *
 * The Halo objects the parser turns into records.
 */
typedef enum
{
  HS_HALO_KIND_AGENT,
  HS_HALO_KIND_TEAM,
  HS_HALO_KIND_CLIENT,
  HS_HALO_KIND_TICKET,
  HS_HALO_KIND_TIMESHEET_EVENT,
  HS_HALO_KIND_ACTION,
} HsHaloKind;

/**
 * HsHaloParseResult:
 * @HS_HALO_PARSE_FAILED: the object lacks a key; the error says where
 * @HS_HALO_PARSE_SKIPPED: the object is not a record of the stream (a
 *   note, a break), nothing was added
 * @HS_HALO_PARSE_ADDED: one record was appended to the batch
 *
 * What hs_halo_parse_record() did.
 */
typedef enum
{
  HS_HALO_PARSE_FAILED,
  HS_HALO_PARSE_SKIPPED,
  HS_HALO_PARSE_ADDED,
} HsHaloParseResult;

/**
 * HsHaloParseContext:
 * @where: (owned): the request the objects came from, for messages, such
 *   as "GET /api/Tickets, page 3"
 * @pull: (nullable) (unowned): receives the warnings
 * @n_warnings: warnings raised so far
 * @warned: one bit per field already warned about
 *
 * The state of parsing one response: warnings are raised at most once per
 * field per response, to keep a run's warnings readable.
 */
typedef struct
{
  char *where;
  HsPull *pull;
  guint n_warnings;
  guint64 warned;
} HsHaloParseContext;

void              hs_halo_parse_context_init  (HsHaloParseContext  *ctx,
                                               HsPull              *pull,
                                               const char          *endpoint,
                                               guint                page);
void              hs_halo_parse_context_clear (HsHaloParseContext  *ctx);

HsStream          hs_halo_kind_get_stream     (HsHaloKind           kind);
JsonNode         *hs_halo_parse_json          (GBytes              *body,
                                               HsHaloParseContext  *ctx,
                                               GError             **error);
JsonArray        *hs_halo_parse_rows          (JsonNode            *root,
                                               const char          *key,
                                               gint64              *record_count,
                                               HsHaloParseContext  *ctx,
                                               GError             **error);
HsHaloParseResult hs_halo_parse_record        (HsHaloKind           kind,
                                               JsonNode            *node,
                                               HsRecordBatch       *batch,
                                               HsHaloParseContext  *ctx,
                                               GError             **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsHaloParseContext, hs_halo_parse_context_clear)

G_END_DECLS
