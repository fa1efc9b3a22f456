/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-deletion-check.h"
#include "hs-format.h"

/**
 * HsDeletionCheck:
 *
 * *Check for Deleted Records…* for one fiscal year.  An incremental sync
 * never learns that Halo deleted a record; a full sync does, and marks
 * the row deleted.  This asks first, previews the full sync with a dry
 * run (nothing is kept), shows what it would change, and runs the full
 * sync only when the person applies it.  The runs are ordinary manual
 * runs: the status card and the history show them as any other.
 */
struct _HsDeletionCheck
{
  GObject parent_instance;

  HsEngineClient *client;  /* (owned) */
  GtkWindow *parent;       /* (weak) (nullable): the window owns the check */
  char *fiscal_year;       /* (owned) */
  gboolean previewing;     /* a dry run was asked for and has not ended */
};

G_DEFINE_FINAL_TYPE (HsDeletionCheck, hs_deletion_check, G_TYPE_OBJECT)

static AdwMessageDialog *
new_dialog (HsDeletionCheck *self,
            const char      *heading,
            const char      *body)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (self->parent, heading, body));

  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  if (self->parent != NULL)
    gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (self->parent));
  return dialog;
}

static void
result_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    HsDeletionCheck  *self)
{
  if (g_str_equal (response, "apply"))
    hs_engine_client_sync_full (self->client, self->fiscal_year, HS_SYNC_FULL, HS_SYNC_FLAGS_NONE);
}

static void
show_result (HsDeletionCheck *self,
             HsRun           *run)
{
  guint64 deleted = hs_run_get_total (run, HS_COUNTER_DELETED);
  guint64 updated = hs_run_get_total (run, HS_COUNTER_UPDATED);
  guint64 inserted = hs_run_get_total (run, HS_COUNTER_INSERTED);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (hs_run_get_status (run) != HS_RUN_SUCCEEDED)
    {
      dialog = new_dialog (self, _("Check Failed"),
                           hs_run_get_error_message (run) != NULL ? hs_run_get_error_message (run)
                                                                  : _("The check ended before it was done."));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  if (deleted == 0 && updated == 0 && inserted == 0)
    {
      /* Translators: the fiscal year, "FY2026" */
      body = g_strdup_printf (_("The database holds %s as Halo does; nothing needs to change."),
                              self->fiscal_year);
      dialog = new_dialog (self, _("No Deleted Records"), body);
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  {
    g_autofree char *n_deleted = hs_format_count (deleted);
    g_autofree char *n_updated = hs_format_count (updated);
    g_autofree char *n_inserted = hs_format_count (inserted);

    heading = g_strdup (deleted > 0 ? _("Deleted Records Found") : _("Changed Records Found"));
    /* Translators: the fiscal year, then the number of rows for each kind
     * of change */
    body = g_strdup_printf (_("Nothing has changed yet. A full sync of %s would change these rows:\n"
                              "Marked as deleted: %s\nUpdated: %s\nAdded: %s\n"
                              "Rows marked as deleted stay in the database, with when Halo stopped listing them."),
                            self->fiscal_year, n_deleted, n_updated, n_inserted);
  }
  dialog = new_dialog (self, heading, body);
  adw_message_dialog_add_responses (dialog, "close", _("_Close"), "apply", _("_Apply"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply",
                                              deleted > 0 ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (result_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
run_finished_cb (HsEngineClient  *client,
                 HsRun           *run,
                 HsDeletionCheck *self)
{
  if (!self->previewing || !hs_run_get_dry_run (run) || hs_run_get_mode (run) != HS_SYNC_FULL ||
      g_strcmp0 (hs_run_get_fiscal_year (run), self->fiscal_year) != 0)
    return;

  self->previewing = FALSE;
  /* Canceled on purpose: nothing to report. */
  if (hs_run_get_status (run) != HS_RUN_CANCELLED)
    show_result (self, run);
}

static void
ask_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 HsDeletionCheck  *self)
{
  if (!g_str_equal (response, "check"))
    return;

  self->previewing = TRUE;
  hs_engine_client_sync_full (self->client, self->fiscal_year, HS_SYNC_FULL, HS_SYNC_FLAGS_DRY_RUN);
}

/**
 * hs_deletion_check_start:
 * @self: the check
 *
 * Asks whether to check, and goes on from there.
 */
void
hs_deletion_check_start (HsDeletionCheck *self)
{
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  g_return_if_fail (HS_IS_DELETION_CHECK (self));

  /* Translators: the fiscal year, "FY2026" */
  heading = g_strdup_printf (_("Check %s for Deleted Records?"), self->fiscal_year);
  dialog = new_dialog (self, heading,
                       _("HaloSync reads the whole year from Halo and compares it with the database, "
                         "without changing anything. Then you can apply what it found. On a large "
                         "tenant this takes a while and uses more of Halo’s request budget than a "
                         "normal sync."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "check", _("C_heck"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "check", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "check");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (ask_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
hs_deletion_check_dispose (GObject *object)
{
  HsDeletionCheck *self = HS_DELETION_CHECK (object);

  g_clear_object (&self->client);
  g_clear_weak_pointer (&self->parent);

  G_OBJECT_CLASS (hs_deletion_check_parent_class)->dispose (object);
}

static void
hs_deletion_check_finalize (GObject *object)
{
  HsDeletionCheck *self = HS_DELETION_CHECK (object);

  g_free (self->fiscal_year);

  G_OBJECT_CLASS (hs_deletion_check_parent_class)->finalize (object);
}

static void
hs_deletion_check_class_init (HsDeletionCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_deletion_check_dispose;
  object_class->finalize = hs_deletion_check_finalize;
}

static void
hs_deletion_check_init (HsDeletionCheck *self)
{
}

/**
 * hs_deletion_check_new:
 * @client: the connection to the service
 * @parent: the window the dialogs belong to
 * @fiscal_year: the label of the year to check
 *
 * Returns: (transfer full): the check; keep it until it is done
 */
HsDeletionCheck *
hs_deletion_check_new (HsEngineClient *client,
                       GtkWindow      *parent,
                       const char     *fiscal_year)
{
  HsDeletionCheck *self;

  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (client), NULL);
  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (fiscal_year != NULL, NULL);

  self = g_object_new (HS_TYPE_DELETION_CHECK, NULL);
  self->client = g_object_ref (client);
  g_set_weak_pointer (&self->parent, parent);
  self->fiscal_year = g_strdup (fiscal_year);
  g_signal_connect_object (client, "run-finished", G_CALLBACK (run_finished_cb), self, 0);
  return self;
}
