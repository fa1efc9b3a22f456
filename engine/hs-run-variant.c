/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "hs-error.h"
#include "hs-run-private.h"

/* A run as the `a{sv}` dictionary of org.example.HaloSync.Engine1: the
 * one shape a run takes between the engine and its clients. */

/**
 * hs_run_to_variant:
 * @self: a run
 *
 * Describes the run as the `a{sv}` dictionary of the D-Bus interface
 * `org.example.HaloSync.Engine1` (see its documentation for the keys).
 *
 * Returns: (transfer floating): the dictionary
 */
GVariant *
hs_run_to_variant (HsRun *self)
{
  GVariantBuilder builder;
  GVariantBuilder streams;
  GVariantBuilder expected;

  g_return_val_if_fail (HS_IS_RUN (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_int64 (self->id));
  g_variant_builder_add (&builder, "{sv}", "fiscal-year", g_variant_new_string (self->fiscal_year));
  g_variant_builder_add (&builder, "{sv}", "trigger", g_variant_new_string (hs_trigger_to_string (self->trigger)));
  g_variant_builder_add (&builder, "{sv}", "mode", g_variant_new_string (hs_sync_mode_to_string (self->mode)));
  g_variant_builder_add (&builder, "{sv}", "dry-run", g_variant_new_boolean (self->dry_run));
  g_variant_builder_add (&builder, "{sv}", "status", g_variant_new_string (hs_run_status_to_string (self->status)));
  g_variant_builder_add (&builder, "{sv}", "stage", g_variant_new_string (hs_run_stage_to_string (self->stage)));
  g_variant_builder_add (&builder, "{sv}", "stream", g_variant_new_string (hs_stream_to_string (self->stream)));
  g_variant_builder_add (&builder, "{sv}", "started-at", g_variant_new_int64 (self->started_at));
  g_variant_builder_add (&builder, "{sv}", "finished-at", g_variant_new_int64 (self->finished_at));
  for (guint c = 0; c < HS_N_COUNTERS; c++)
    g_variant_builder_add (&builder, "{sv}", hs_counter_to_string (c),
                           g_variant_new_uint64 (hs_run_get_total (self, c)));

  g_variant_builder_init (&streams, G_VARIANT_TYPE ("a{sa{st}}"));
  for (guint s = 0; s < HS_N_STREAMS; s++)
    {
      GVariantBuilder counts;

      g_variant_builder_init (&counts, G_VARIANT_TYPE ("a{st}"));
      for (guint c = 0; c < HS_N_COUNTERS; c++)
        g_variant_builder_add (&counts, "{st}", hs_counter_to_string (c), self->counts[s][c]);
      g_variant_builder_add (&streams, "{sa{st}}", hs_stream_to_string (s), &counts);
    }
  g_variant_builder_add (&builder, "{sv}", "streams", g_variant_builder_end (&streams));

  g_variant_builder_init (&expected, G_VARIANT_TYPE ("a{sx}"));
  for (guint s = 0; s < HS_N_STREAMS; s++)
    if (self->expected[s] >= 0)
      g_variant_builder_add (&expected, "{sx}", hs_stream_to_string (s), self->expected[s]);
  g_variant_builder_add (&builder, "{sv}", "expected", g_variant_builder_end (&expected));

  g_variant_builder_add (&builder, "{sv}", "api-calls", g_variant_new_uint32 (self->api_calls));
  g_variant_builder_add (&builder, "{sv}", "warnings", g_variant_new_uint32 (self->n_warnings));
  g_variant_builder_add (&builder, "{sv}", "warning-messages",
                         g_variant_new_strv ((const char * const *) self->warnings->pdata, self->warnings->len));
  g_variant_builder_add (&builder, "{sv}", "unmapped-agents",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, self->unmapped->data,
                                                    self->unmapped->len, sizeof (gint64)));
  if (self->retry_reason != NULL)
    {
      g_variant_builder_add (&builder, "{sv}", "retry-reason", g_variant_new_string (self->retry_reason));
      g_variant_builder_add (&builder, "{sv}", "retry-attempt", g_variant_new_uint32 (self->retry_attempt));
      g_variant_builder_add (&builder, "{sv}", "retry-max-attempts", g_variant_new_uint32 (self->retry_max_attempts));
      g_variant_builder_add (&builder, "{sv}", "retry-at", g_variant_new_int64 (self->retry_at));
    }
  if (self->error_message != NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (HS_ERROR, self->error_code, "");
      g_autofree char *name = g_dbus_error_encode_gerror (error);

      g_variant_builder_add (&builder, "{sv}", "error", g_variant_new_string (self->error_message));
      g_variant_builder_add (&builder, "{sv}", "error-name", g_variant_new_string (name));
    }

  return g_variant_builder_end (&builder);
}

/**
 * hs_run_new_from_variant:
 * @variant: an `a{sv}` dictionary as hs_run_to_variant() makes
 * @error: return location for an error
 *
 * Rebuilds a run from its D-Bus description; unknown keys are ignored.
 *
 * Returns: (transfer full) (nullable): the run, or %NULL with
 *   %HS_ERROR_INVALID_ARGUMENT if a required key is missing or malformed
 */
HsRun *
hs_run_new_from_variant (GVariant *variant,
                         GError  **error)
{
  g_autoptr(HsRun) self = NULL;
  g_autoptr(GVariantDict) dict = NULL;
  g_autoptr(GVariant) streams = NULL;
  g_autoptr(GVariant) expected = NULL;
  g_autoptr(GVariant) unmapped = NULL;
  g_autofree const char **warnings = NULL;
  const char *fiscal_year, *trigger, *mode, *status, *stage, *stream, *error_message, *error_name, *retry_reason;
  HsTrigger trigger_value;
  HsSyncMode mode_value;
  gboolean dry_run = FALSE;

  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("A run is described by a dictionary of type a{sv}, not %s"),
                   g_variant_get_type_string (variant));
      return NULL;
    }

  dict = g_variant_dict_new (variant);
  if (!g_variant_dict_lookup (dict, "fiscal-year", "&s", &fiscal_year) ||
      !g_variant_dict_lookup (dict, "trigger", "&s", &trigger) ||
      !hs_trigger_from_string (trigger, &trigger_value) ||
      !g_variant_dict_lookup (dict, "mode", "&s", &mode) ||
      !hs_sync_mode_from_string (mode, &mode_value))
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("The run description lacks its fiscal year, trigger or mode"));
      return NULL;
    }

  g_variant_dict_lookup (dict, "dry-run", "b", &dry_run);
  self = hs_run_new (fiscal_year, trigger_value, mode_value, dry_run);
  g_variant_dict_lookup (dict, "id", "x", &self->id);
  if (g_variant_dict_lookup (dict, "status", "&s", &status))
    hs_run_status_from_string (status, &self->status);
  if (g_variant_dict_lookup (dict, "stage", "&s", &stage))
    hs_run_stage_from_string (stage, &self->stage);
  if (g_variant_dict_lookup (dict, "stream", "&s", &stream))
    hs_stream_from_string (stream, &self->stream);
  g_variant_dict_lookup (dict, "started-at", "x", &self->started_at);
  g_variant_dict_lookup (dict, "finished-at", "x", &self->finished_at);
  g_variant_dict_lookup (dict, "api-calls", "u", &self->api_calls);
  g_variant_dict_lookup (dict, "warnings", "u", &self->n_warnings);
  if (g_variant_dict_lookup (dict, "error", "&s", &error_message))
    self->error_message = g_strdup (error_message);
  if (g_variant_dict_lookup (dict, "retry-reason", "&s", &retry_reason))
    {
      self->retry_reason = g_strdup (retry_reason);
      g_variant_dict_lookup (dict, "retry-attempt", "u", &self->retry_attempt);
      g_variant_dict_lookup (dict, "retry-max-attempts", "u", &self->retry_max_attempts);
      g_variant_dict_lookup (dict, "retry-at", "x", &self->retry_at);
    }
  if (g_variant_dict_lookup (dict, "error-name", "&s", &error_name))
    {
      g_autoptr(GError) remote = g_dbus_error_new_for_dbus_error (error_name, "");

      if (remote->domain == HS_ERROR)
        self->error_code = remote->code;
    }

  if (g_variant_dict_lookup (dict, "warning-messages", "^a&s", &warnings))
    for (guint i = 0; warnings[i] != NULL && self->warnings->len < MAX_KEPT_WARNINGS; i++)
      g_ptr_array_add (self->warnings, g_strdup (warnings[i]));

  unmapped = g_variant_dict_lookup_value (dict, "unmapped-agents", G_VARIANT_TYPE ("ax"));
  if (unmapped != NULL)
    {
      gsize n = 0;
      const gint64 *ids = g_variant_get_fixed_array (unmapped, &n, sizeof (gint64));

      for (gsize i = 0; i < n; i++)
        hs_run_add_unmapped_agent (self, ids[i]);
    }

  streams = g_variant_dict_lookup_value (dict, "streams", G_VARIANT_TYPE ("a{sa{st}}"));
  if (streams != NULL)
    {
      GVariantIter iter;
      const char *name;
      GVariant *counts;

      g_variant_iter_init (&iter, streams);
      while (g_variant_iter_loop (&iter, "{&s@a{st}}", &name, &counts))
        {
          HsStream s;

          if (!hs_stream_from_string (name, &s))
            continue;
          for (guint c = 0; c < HS_N_COUNTERS; c++)
            g_variant_lookup (counts, hs_counter_to_string (c), "t", &self->counts[s][c]);
        }
    }

  expected = g_variant_dict_lookup_value (dict, "expected", G_VARIANT_TYPE ("a{sx}"));
  if (expected != NULL)
    {
      GVariantIter iter;
      const char *name;
      gint64 count;

      g_variant_iter_init (&iter, expected);
      while (g_variant_iter_next (&iter, "{&sx}", &name, &count))
        {
          HsStream s;

          if (hs_stream_from_string (name, &s))
            self->expected[s] = count;
        }
    }

  return g_steal_pointer (&self);
}
