/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <halosync.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "hs-test-sim.h"
#include "hs-test.h"

#define CONTROL_TOKEN_LINE "control token: "
#define LISTENING_LINE "halo-sim listening on "

/**
 * HsTestSim:
 *
 * A halo-sim process for a test: started with the test's arguments from
 * the binary named by `HS_HALO_SIM`, found through the two lines it
 * prints, driven through its control API, and stopped with SIGTERM.
 * Its stderr goes to the test's, so sanitizer reports show in the log.
 */
struct _HsTestSim
{
  GObject parent_instance;

  GSubprocess *process;       /* (owned) (nullable): NULL once stopped */
  SoupSession *session;       /* (owned) */
  char *base_url;
  char *control_token;
  char *client_id;
  char *client_secret;
};

G_DEFINE_FINAL_TYPE (HsTestSim, hs_test_sim, G_TYPE_OBJECT)

static void
hs_test_sim_dispose (GObject *object)
{
  HsTestSim *self = HS_TEST_SIM (object);

  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      g_subprocess_wait (self->process, NULL, NULL);
    }
  g_clear_object (&self->process);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (hs_test_sim_parent_class)->dispose (object);
}

static void
hs_test_sim_finalize (GObject *object)
{
  HsTestSim *self = HS_TEST_SIM (object);

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->control_token, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->client_secret, g_free);

  G_OBJECT_CLASS (hs_test_sim_parent_class)->finalize (object);
}

static void
hs_test_sim_class_init (HsTestSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_test_sim_dispose;
  object_class->finalize = hs_test_sim_finalize;
}

static void
hs_test_sim_init (HsTestSim *self)
{
  self->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

static char *
read_line (GDataInputStream  *stream,
           const char        *prefix,
           GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &local_error);

  if (line == NULL)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_FAILED,
                   "halo-sim exited before printing “%s”: %s", prefix,
                   local_error != NULL ? local_error->message : "end of output");
      return NULL;
    }
  if (!g_str_has_prefix (line, prefix))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   "halo-sim printed “%s” instead of “%s…”", line, prefix);
      return NULL;
    }
  return g_strdup (line + strlen (prefix));
}

/* A test that aborts must not leave its simulator running, holding the
 * test runner's stderr open until the timeout. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The value following @option in @args, or @fallback. */
static const char *
find_option (const char * const *args,
             const char         *option,
             const char         *fallback)
{
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    if (strcmp (args[i], option) == 0 && args[i + 1] != NULL)
      return args[i + 1];
  return fallback;
}

/**
 * hs_test_sim_new:
 * @args: (nullable) (array zero-terminated=1): halo-sim options such as
 *   "--tickets", "250"
 * @error: return location for an error
 *
 * Starts halo-sim and waits until it listens.
 *
 * Returns: (transfer full) (nullable): the running simulator
 */
HsTestSim *
hs_test_sim_new (const char * const  *args,
                 GError             **error)
{
  g_autoptr(HsTestSim) self = g_object_new (HS_TEST_TYPE_SIM, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *binary = g_getenv ("HS_HALO_SIM");

  if (binary == NULL)
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED,
                           "HS_HALO_SIM does not name the halo-sim binary; run the tests with meson test");
      return NULL;
    }

  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (self->process == NULL)
    return NULL;

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  self->base_url = read_line (output, LISTENING_LINE, error);
  if (self->base_url == NULL)
    return NULL;
  self->control_token = read_line (output, CONTROL_TOKEN_LINE, error);
  if (self->control_token == NULL)
    return NULL;

  self->client_id = g_strdup (find_option (args, "--client-id", "halosync-demo"));
  self->client_secret = g_strdup (find_option (args, "--client-secret", "demo-secret"));
  return g_steal_pointer (&self);
}

const char *
hs_test_sim_get_base_url (HsTestSim *self)
{
  g_return_val_if_fail (HS_TEST_IS_SIM (self), NULL);
  return self->base_url;
}

const char *
hs_test_sim_get_client_id (HsTestSim *self)
{
  g_return_val_if_fail (HS_TEST_IS_SIM (self), NULL);
  return self->client_id;
}

const char *
hs_test_sim_get_client_secret (HsTestSim *self)
{
  g_return_val_if_fail (HS_TEST_IS_SIM (self), NULL);
  return self->client_secret;
}

const char *
hs_test_sim_get_control_token (HsTestSim *self)
{
  g_return_val_if_fail (HS_TEST_IS_SIM (self), NULL);
  return self->control_token;
}

static JsonNode *
send_for_json (HsTestSim   *self,
               SoupMessage *msg,
               GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data;

  bytes = soup_session_send_and_read (self->session, msg, NULL, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &length);
  if (soup_message_get_status (msg) < 200 || soup_message_get_status (msg) > 299)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   "%s %s answered %u: %.*s", soup_message_get_method (msg),
                   g_uri_get_path (soup_message_get_uri (msg)), soup_message_get_status (msg),
                   (int) MIN (length, 500), data != NULL ? data : "");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) length, error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/**
 * hs_test_sim_fetch_token:
 * @self: the simulator
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): a bearer token from /auth/token
 */
char *
hs_test_sim_fetch_token (HsTestSim  *self,
                         GError    **error)
{
  g_autofree char *url = g_strconcat (self->base_url, "/auth/token", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) reply = NULL;

  g_return_val_if_fail (HS_TEST_IS_SIM (self), NULL);

  /* The message takes the encoded form. */
  msg = soup_message_new_from_encoded_form ("POST", url,
                                            soup_form_encode ("grant_type", "client_credentials",
                                                              "client_id", self->client_id,
                                                              "client_secret", self->client_secret,
                                                              "scope", "all", NULL));
  reply = send_for_json (self, msg, error);
  if (reply == NULL)
    return NULL;
  return g_strdup (json_object_get_string_member (json_node_get_object (reply), "access_token"));
}

/**
 * hs_test_sim_control:
 * @self: the simulator
 * @method: "GET", "POST", "DELETE"…
 * @path: a control path with its query, such as "/_sim/counters"
 * @json: (nullable): the JSON request body
 * @error: return location for an error
 *
 * Calls the control API and fails unless it answers 2xx.
 *
 * Returns: (transfer full) (nullable): the JSON answer
 */
JsonNode *
hs_test_sim_control (HsTestSim   *self,
                     const char  *method,
                     const char  *path,
                     const char  *json,
                     GError     **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", self->control_token, NULL);
  g_autoptr(SoupMessage) msg = NULL;

  g_return_val_if_fail (HS_TEST_IS_SIM (self), NULL);

  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT, "“%s” is not a valid URL", url);
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  if (json != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  return send_for_json (self, msg, error);
}

/**
 * hs_test_sim_get_cpu_seconds:
 * @self: the running simulator
 *
 * The CPU time (user and system) the simulator has used so far, so a
 * benchmark can tell its own cost from the simulator's.
 *
 * Returns: seconds, or -1 if /proc cannot tell
 */
double
hs_test_sim_get_cpu_seconds (HsTestSim *self)
{
  const char *pid;
  g_autofree char *path = NULL;

  g_return_val_if_fail (HS_TEST_IS_SIM (self), -1);
  g_return_val_if_fail (self->process != NULL, -1);

  /* NULL once the simulator has exited. */
  pid = g_subprocess_get_identifier (self->process);
  if (pid == NULL)
    return -1;
  path = g_strdup_printf ("/proc/%s/stat", pid);
  return hs_test_proc_cpu_seconds (path);
}

/**
 * hs_test_sim_stop:
 * @self: the simulator
 * @error: return location for an error
 *
 * Stops the simulator with SIGTERM, as a user's Ctrl-C or a service
 * manager would, and waits for it.  Under AddressSanitizer a leak makes
 * the exit status non-zero, so this also proves the shutdown is clean.
 *
 * Returns: %TRUE if it exited with status 0
 */
gboolean
hs_test_sim_stop (HsTestSim  *self,
                  GError    **error)
{
  g_autoptr(GSubprocess) process = NULL;

  g_return_val_if_fail (HS_TEST_IS_SIM (self), FALSE);
  g_return_val_if_fail (self->process != NULL, FALSE);

  process = g_steal_pointer (&self->process);
  g_subprocess_send_signal (process, SIGTERM);
  if (!g_subprocess_wait (process, NULL, error))
    return FALSE;
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_FAILED,
                   "halo-sim did not exit cleanly after SIGTERM (%s %d)",
                   g_subprocess_get_if_exited (process) ? "exit status" : "signal",
                   g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                        : g_subprocess_get_term_sig (process));
      return FALSE;
    }
  return TRUE;
}
