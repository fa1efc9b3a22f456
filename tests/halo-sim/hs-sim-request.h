/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Appends the next piece of a streamed body to @out.
 * Returns: %FALSE once the body is complete */
typedef gboolean (*HsSimBodyFunc) (gpointer  data,
                                   GString  *out);

/* One HTTP request on its way through the simulator, and the response
 * being built for it. */
typedef struct
{
  SoupServerMessage *msg;     /* (unowned) */
  const char *method;
  char *path;                 /* lower-cased: Halo ignores path case */
  char **segments;            /* the path's non-empty parts */
  guint n_segments;
  GHashTable *query;          /* (owned): lower-cased name → value */
  const char *base_url;

  guint status;
  GString *body;              /* (owned) */
  const char *content_type;

  /* The wrong-type fault, applied by the JSON writer. */
  const char *override_name;
  JsonNode *override_value;   /* (unowned) (nullable) */
  guint override_record;

  /* A body too large to build at once is streamed in chunks instead,
   * when no fault needs the whole body. */
  gboolean may_stream;
  HsSimBodyFunc stream_func;
  gpointer stream_data;       /* (owned) */
  GDestroyNotify stream_free;
} HsSimRequest;

HsSimRequest *hs_sim_request_new          (SoupServerMessage *msg,
                                           const char        *path,
                                           GHashTable        *query,
                                           const char        *base_url);
void          hs_sim_request_free         (HsSimRequest      *req);

const char   *hs_sim_request_get          (HsSimRequest      *req,
                                           const char        *name);
gboolean      hs_sim_request_get_bool     (HsSimRequest      *req,
                                           const char        *name,
                                           gboolean           fallback);
gboolean      hs_sim_request_get_uint     (HsSimRequest      *req,
                                           const char        *name,
                                           guint             *value);
gboolean      hs_sim_request_get_time     (HsSimRequest      *req,
                                           const char        *name,
                                           gint64            *ticks,
                                           gboolean          *present);
GArray       *hs_sim_request_get_uint_list (HsSimRequest     *req,
                                           const char        *name);
gboolean      hs_sim_request_parse_uint   (const char        *text,
                                           guint             *value);

void          hs_sim_request_set_json     (HsSimRequest      *req,
                                           guint              status,
                                           JsonNode          *node);
void          hs_sim_request_set_error    (HsSimRequest      *req,
                                           guint              status,
                                           const char        *format,
                                           ...) G_GNUC_PRINTF (3, 4);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSimRequest, hs_sim_request_free)

G_END_DECLS
