/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <halosync.h>
#include <string.h>

#include "hs-sim-faults.h"
#include "hs-sim-random.h"

typedef enum
{
  FAULT_STATUS,
  FAULT_REVOKE,
  FAULT_MALFORMED,
  FAULT_TRUNCATE,
  FAULT_WRONG_TYPE,
  FAULT_LATENCY,
} FaultKind;

static const char * const kind_names[] = {
  "status", "revoke", "malformed", "truncate", "wrong_type", "latency", NULL
};

typedef struct
{
  FaultKind kind;
  char *path;               /* lower-cased glob */
  GPatternSpec *pattern;    /* (owned) */
  guint nth;                /* first matching request it hits, 1-based */
  guint count;              /* how many from the nth; 0 = all that follow */
  double rate;              /* > 0: hits this share of requests instead */
  guint status;
  guint ms;
  guint bytes;
  char *field;
  JsonNode *value;          /* (owned) (nullable) */
  guint record;
  guint seen;               /* matching requests so far */
  guint hits;
} Fault;

/**
 * HsSimFaults:
 *
 * The ways a real Halo misbehaves, switched on at start-up or at run time
 * through the control API: the 429 rate-limit window, 5xx answers, tokens
 * revoked mid-run, broken or truncated JSON, a field of the wrong type,
 * and latency.  Rate-based faults draw from a generator keyed by the seed
 * and the request number, so a run can be repeated exactly.
 */
struct _HsSimFaults
{
  GObject parent_instance;

  guint64 seed;
  GPtrArray *faults;        /* (owned) of Fault */

  guint limit_count;        /* 0: no rate limit */
  guint limit_seconds;
  guint retry_after;        /* 0: no Retry-After header */
  GQueue admitted;          /* monotonic µs of admitted requests, oldest first */
};

G_DEFINE_FINAL_TYPE (HsSimFaults, hs_sim_faults, G_TYPE_OBJECT)

static void
fault_free (gpointer data)
{
  Fault *fault = data;

  g_free (fault->path);
  g_clear_pointer (&fault->pattern, g_pattern_spec_free);
  g_free (fault->field);
  g_clear_pointer (&fault->value, json_node_unref);
  g_free (fault);
}

static void
hs_sim_faults_finalize (GObject *object)
{
  HsSimFaults *self = HS_SIM_FAULTS (object);

  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_queue_clear_full (&self->admitted, g_free);

  G_OBJECT_CLASS (hs_sim_faults_parent_class)->finalize (object);
}

static void
hs_sim_faults_class_init (HsSimFaultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hs_sim_faults_finalize;
}

static void
hs_sim_faults_init (HsSimFaults *self)
{
  self->faults = g_ptr_array_new_with_free_func (fault_free);
  g_queue_init (&self->admitted);
}

HsSimFaults *
hs_sim_faults_new (guint64 seed)
{
  HsSimFaults *self = g_object_new (HS_SIM_TYPE_FAULTS, NULL);

  self->seed = seed;
  return self;
}

void
hs_sim_faults_set_rate_limit (HsSimFaults *self,
                              guint        count,
                              guint        seconds,
                              guint        retry_after)
{
  g_return_if_fail (HS_SIM_IS_FAULTS (self));

  self->limit_count = count;
  self->limit_seconds = seconds;
  self->retry_after = retry_after;
  g_queue_clear_full (&self->admitted, g_free);
}

/* Returns: %TRUE if a rate limit is on */
gboolean
hs_sim_faults_get_rate_limit (HsSimFaults *self,
                              guint       *count,
                              guint       *seconds)
{
  g_return_val_if_fail (HS_SIM_IS_FAULTS (self), FALSE);

  *count = self->limit_count;
  *seconds = self->limit_seconds;
  return self->limit_count > 0;
}

/**
 * hs_sim_faults_admit:
 * @self: the faults
 * @monotonic: the request's time (monotonic µs)
 * @retry_after: (out): seconds for Retry-After, 0 to send none
 * @message: (out) (transfer full): the 429 body when refused
 *
 * Applies the sliding rate-limit window: a request is admitted while
 * fewer than COUNT admitted requests lie in the last SECONDS.  Refused
 * requests do not count, so a client that waits is let back in however
 * often it was refused.
 *
 * Returns: %TRUE if the request may go on
 */
gboolean
hs_sim_faults_admit (HsSimFaults *self,
                     gint64       monotonic,
                     guint       *retry_after,
                     char       **message)
{
  gint64 window;
  gint64 *stamp;

  g_return_val_if_fail (HS_SIM_IS_FAULTS (self), FALSE);

  *retry_after = 0;
  *message = NULL;
  if (self->limit_count == 0)
    return TRUE;

  window = (gint64) self->limit_seconds * G_USEC_PER_SEC;
  while (!g_queue_is_empty (&self->admitted) &&
         *(gint64 *) g_queue_peek_head (&self->admitted) <= monotonic - window)
    g_free (g_queue_pop_head (&self->admitted));

  if (g_queue_get_length (&self->admitted) >= self->limit_count)
    {
      /* Halo's exact words for its 300 / 5 min limit (halo-api.md §7);
       * windows that are not whole minutes are given in seconds. */
      if (self->limit_seconds % 60 == 0)
        *message = g_strdup_printf ("Rate Limit Reached - %u Requests per rolling %u minute window",
                                    self->limit_count, self->limit_seconds / 60);
      else
        *message = g_strdup_printf ("Rate Limit Reached - %u Requests per rolling %u second window",
                                    self->limit_count, self->limit_seconds);
      *retry_after = self->retry_after;
      return FALSE;
    }

  stamp = g_new (gint64, 1);
  *stamp = monotonic;
  g_queue_push_tail (&self->admitted, stamp);
  return TRUE;
}

static gboolean
get_uint (JsonObject  *object,
          const char  *name,
          guint        fallback,
          guint        max,
          guint       *value,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    {
      *value = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > max)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("Fault member “%s” must be a whole number from 0 to %u"), name, max);
      return FALSE;
    }
  *value = (guint) json_node_get_int (node);
  return TRUE;
}

static Fault *
parse_fault (HsSimFaults  *self,
             JsonNode     *node,
             GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  const char *kind, *path;
  Fault *fault;
  gint index;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("Each fault must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  kind = json_object_get_string_member_with_default (object, "kind", "");
  index = -1;
  for (guint i = 0; kind_names[i] != NULL; i++)
    if (strcmp (kind, kind_names[i]) == 0)
      index = (gint) i;
  if (index < 0)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("Unknown fault kind “%s”; use status, revoke, malformed, truncate, wrong_type or latency"),
                   kind);
      return NULL;
    }

  fault = g_new0 (Fault, 1);
  fault->kind = (FaultKind) index;
  path = json_object_get_string_member_with_default (object, "path", "*");
  fault->path = g_ascii_strdown (path, -1);
  fault->pattern = g_pattern_spec_new (fault->path);
  fault->rate = json_object_get_double_member_with_default (object, "rate", 0.0);
  fault->field = g_strdup (json_object_get_string_member_with_default (object, "field", "id"));
  fault->value = json_object_has_member (object, "value")
                 ? json_node_copy (json_object_get_member (object, "value"))
                 : json_node_init_string (json_node_alloc (), "abc");

  if (!get_uint (object, "nth", 1, G_MAXUINT32, &fault->nth, &local_error) ||
      !get_uint (object, "count", fault->rate > 0 ? 0 : 1, G_MAXUINT32, &fault->count, &local_error) ||
      !get_uint (object, "status", 500, 599, &fault->status, &local_error) ||
      !get_uint (object, "ms", 200, 60000, &fault->ms, &local_error) ||
      !get_uint (object, "bytes", 0, G_MAXUINT32, &fault->bytes, &local_error) ||
      !get_uint (object, "record", 0, G_MAXUINT32, &fault->record, &local_error))
    {
      fault_free (fault);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (fault->rate < 0 || fault->rate > 1 || fault->nth == 0 || fault->status < 100)
    {
      fault_free (fault);
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("A fault needs nth ≥ 1, a rate from 0 to 1 and a status from 100 to 599"));
      return NULL;
    }
  return fault;
}

/**
 * hs_sim_faults_configure:
 * @self: the faults
 * @config: `{"faults": [ … ], "rate_limit": {"count": N, "seconds": S, "retry_after": R}}`
 * @error: return location for an error
 *
 * Replaces the active faults (and the rate limit, when given) with
 * @config.  Each fault is an object with `kind` and optional `path` (a
 * glob on the lower-cased path, default `*`), `nth` (default 1) and
 * `count` (default 1; 0 = every request from the nth on) or `rate`
 * (a share from 0 to 1 of the matching requests from the nth on), plus
 * `status`, `ms`, `bytes`, `field`, `value` and `record` for the kinds
 * that use them.  Nothing changes if @config is invalid.
 *
 * Returns: %TRUE on success
 */
gboolean
hs_sim_faults_configure (HsSimFaults  *self,
                         JsonNode     *config,
                         GError      **error)
{
  g_autoptr(GPtrArray) faults = g_ptr_array_new_with_free_func (fault_free);
  JsonObject *object;
  JsonNode *list, *limit;
  guint count = 0, seconds = 0, retry_after = 0;

  g_return_val_if_fail (HS_SIM_IS_FAULTS (self), FALSE);

  if (config == NULL || !JSON_NODE_HOLDS_OBJECT (config))
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("The fault configuration must be a JSON object"));
      return FALSE;
    }
  object = json_node_get_object (config);

  list = json_object_get_member (object, "faults");
  if (list != NULL && !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("“faults” must be an array"));
      return FALSE;
    }
  for (guint i = 0; list != NULL && i < json_array_get_length (json_node_get_array (list)); i++)
    {
      Fault *fault = parse_fault (self, json_array_get_element (json_node_get_array (list), i), error);

      if (fault == NULL)
        return FALSE;
      g_ptr_array_add (faults, fault);
    }

  limit = json_object_get_member (object, "rate_limit");
  if (limit != NULL && !JSON_NODE_HOLDS_NULL (limit))
    {
      if (!JSON_NODE_HOLDS_OBJECT (limit) ||
          !get_uint (json_node_get_object (limit), "count", 0, G_MAXUINT32, &count, error) ||
          !get_uint (json_node_get_object (limit), "seconds", 0, 86400, &seconds, error) ||
          !get_uint (json_node_get_object (limit), "retry_after", 0, 86400, &retry_after, error))
        {
          g_prefix_error (error, _("rate_limit: "));
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                                 _("“rate_limit” must be an object"));
          return FALSE;
        }
      if (count == 0 || seconds == 0)
        {
          g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                               _("rate_limit needs a count and seconds above 0"));
          return FALSE;
        }
    }

  g_ptr_array_unref (self->faults);
  self->faults = g_steal_pointer (&faults);
  if (limit != NULL)
    hs_sim_faults_set_rate_limit (self, count, seconds, retry_after);
  return TRUE;
}

/* Switches every fault off, the rate limit included. */
void
hs_sim_faults_clear (HsSimFaults *self)
{
  g_return_if_fail (HS_SIM_IS_FAULTS (self));

  g_ptr_array_set_size (self->faults, 0);
  hs_sim_faults_set_rate_limit (self, 0, 0, 0);
}

JsonNode *
hs_sim_faults_to_json (HsSimFaults *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (HS_SIM_IS_FAULTS (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "faults");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = g_ptr_array_index (self->faults, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind_names[fault->kind]);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, fault->path);
      json_builder_set_member_name (builder, "seen");
      json_builder_add_int_value (builder, fault->seen);
      json_builder_set_member_name (builder, "hits");
      json_builder_add_int_value (builder, fault->hits);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "rate_limit");
  if (self->limit_count > 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, self->limit_count);
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_int_value (builder, self->limit_seconds);
      json_builder_set_member_name (builder, "retry_after");
      json_builder_add_int_value (builder, self->retry_after);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
fault_fires (HsSimFaults *self,
             guint        index,
             Fault       *fault)
{
  if (fault->seen < fault->nth)
    return FALSE;

  if (fault->rate > 0)
    {
      HsSimRng rng;

      hs_sim_rng_init (&rng, self->seed, HS_SIM_KIND_FAULT, ((guint64) index << 32) | fault->seen);
      if ((double) (hs_sim_rng_next (&rng) >> 11) / (double) (G_GUINT64_CONSTANT (1) << 53) >= fault->rate)
        return FALSE;
      return fault->count == 0 || fault->hits < fault->count;
    }

  return fault->count == 0 || fault->seen < fault->nth + fault->count;
}

/* Decides what the faults do to a request to @path (lower-cased). */
void
hs_sim_faults_plan (HsSimFaults    *self,
                    const char     *path,
                    HsSimFaultPlan *plan)
{
  g_return_if_fail (HS_SIM_IS_FAULTS (self));

  memset (plan, 0, sizeof *plan);
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = g_ptr_array_index (self->faults, i);

      if (!g_pattern_spec_match_string (fault->pattern, path))
        continue;
      fault->seen++;
      if (!fault_fires (self, i, fault))
        continue;
      fault->hits++;

      switch (fault->kind)
        {
        case FAULT_STATUS:
          plan->status = fault->status;
          break;
        case FAULT_REVOKE:
          plan->revoke = TRUE;
          break;
        case FAULT_MALFORMED:
          plan->malformed = TRUE;
          break;
        case FAULT_TRUNCATE:
          plan->truncate = TRUE;
          plan->truncate_bytes = fault->bytes;
          break;
        case FAULT_WRONG_TYPE:
          plan->wrong_name = fault->field;
          plan->wrong_value = fault->value;
          plan->wrong_record = fault->record;
          break;
        case FAULT_LATENCY:
          plan->latency_ms += fault->ms;
          break;
        default:
          g_assert_not_reached ();
        }
    }
}
