/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The environment file: HALOSYNC_* variables for processes that do not
 * start from a person's shell.  The service is started by D-Bus or
 * systemd and never sees what was exported in a terminal; the file is
 * the one place a headless machine keeps that configuration. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hs-config.h"
#include "hs-error.h"

#define PREFIX "HALOSYNC_"

static const char * const secret_variables[] = {
  "HALOSYNC_HALO_CLIENT_SECRET",
  "HALOSYNC_DB_PASSWORD",
};

/**
 * hs_config_dup_environment_file_path:
 *
 * Returns: (transfer full): where hs_config_load_environment_file()
 *   reads, `$XDG_CONFIG_HOME/halosync/environment`
 */
char *
hs_config_dup_environment_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "halosync", "environment", NULL);
}

static gboolean
is_variable_name (const char *name)
{
  if (!g_str_has_prefix (name, PREFIX) || name[strlen (PREFIX)] == '\0')
    return FALSE;
  for (const char *c = name + strlen (PREFIX); *c != '\0'; c++)
    if (!g_ascii_isupper (*c) && !g_ascii_isdigit (*c) && *c != '_')
      return FALSE;
  return TRUE;
}

static gboolean
is_secret (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_variables); i++)
    if (strcmp (name, secret_variables[i]) == 0)
      return TRUE;
  return FALSE;
}

/* A value as systemd's EnvironmentFile= reads the simple cases: trimmed,
 * and without the quotes around it. */
static char *
dup_value (const char *text)
{
  g_autofree char *value = g_strstrip (g_strdup (text));
  gsize len = strlen (value);

  if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0])
    return g_strndup (value + 1, len - 2);
  return g_steal_pointer (&value);
}

/**
 * hs_config_load_environment_file:
 * @error: return location for an %HS_ERROR_NOT_CONFIGURED error
 *
 * Sets the `HALOSYNC_*` variables that the environment file
 * (hs_config_dup_environment_file_path()) lists, one `NAME=value` a line,
 * `#` starting a comment, each unless the process environment already has
 * it.  Secrets in a file that other users can read are not used.  A
 * missing file is no error.
 *
 * It changes the process environment: call it at the start of `main()`,
 * before any thread is started or any #HsConfig made.
 *
 * Returns: %TRUE when every line was used; %FALSE with @error naming the
 *   first problem otherwise, the lines without one being in effect
 */
gboolean
hs_config_load_environment_file (GError **error)
{
  g_autofree char *path = hs_config_dup_environment_file_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) read_error = NULL;
  g_auto(GStrv) lines = NULL;
  GError *first_problem = NULL;
  gboolean private_file;
  GStatBuf st;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_file_get_contents (path, &contents, NULL, &read_error))
    {
      /* No file, or no configuration directory to hold one. */
      if (g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
          g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        return TRUE;
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED, "%s", read_error->message);
      return FALSE;
    }
  private_file = g_stat (path, &st) == 0 && (st.st_mode & 077) == 0;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      char *equals;

      if (line[0] == '\0' || line[0] == '#')
        continue;

      equals = strchr (line, '=');
      if (equals != NULL)
        name = g_strstrip (g_strndup (line, equals - line));
      if (name == NULL || !is_variable_name (name))
        {
          if (first_problem == NULL)
            first_problem = g_error_new (HS_ERROR, HS_ERROR_NOT_CONFIGURED,
                                         _("%s, line %u: not a HALOSYNC_NAME=value line; it is ignored"),
                                         path, i + 1);
          continue;
        }

      if (is_secret (name) && !private_file)
        {
          if (first_problem == NULL)
            first_problem = g_error_new (HS_ERROR, HS_ERROR_NOT_CONFIGURED,
                                         _("%s can be read by other users, so the secrets in it are ignored; "
                                           "make it private with “chmod 600 %s”"),
                                         path, path);
          continue;
        }

      /* What the process was started with (a unit's Environment=, an
       * explicit export) is the more specific choice. */
      value = dup_value (equals + 1);
      g_setenv (name, value, FALSE);
    }

  if (first_problem != NULL)
    {
      g_propagate_error (error, first_problem);
      return FALSE;
    }
  return TRUE;
}
