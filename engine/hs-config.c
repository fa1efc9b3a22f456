/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hs-config.h"
#include "hs-error.h"

/**
 * HsConfig:
 *
 * HaloSync's configuration, resolved once from three layers:
 *
 * 1. built-in defaults (the same as the `org.example.HaloSync` schema's);
 * 2. GSettings, when the schema is installed; changes apply live and are
 *    announced with #GObject::notify;
 * 3. environment variables, for headless use and tests; a variable that is
 *    set and not empty wins over the setting and is never reloaded:
 *    `HALOSYNC_HALO_URL`, `HALOSYNC_HALO_TENANT`, `HALOSYNC_HALO_CLIENT_ID`,
 *    `HALOSYNC_SINK`, `HALOSYNC_SOURCE`, `HALOSYNC_LOOK_BACK_MINUTES` and
 *    `HALOSYNC_HALO_RATE_LIMIT` (`off`, or `COUNT/SECONDS`).
 *
 * Secrets are not settings: hs_config_lookup_secret_async() reads
 * `HALOSYNC_HALO_CLIENT_SECRET` or `HALOSYNC_DB_PASSWORD` when set, and the
 * Secret Service otherwise.
 */
struct _HsConfig
{
  GObject parent_instance;

  GSettings *settings;  /* (owned) (nullable) */

  char *halo_url;
  char *halo_tenant;
  char *halo_client_id;
  char *sink_uri;       /* as configured; empty means the default */
  char *source;         /* the source plugin's name; empty means the default */
  gboolean schedule_enabled;
  guint schedule_interval;
  guint look_back_minutes;
  gboolean sync_on_metered;
  guint rate_limit_requests;
  guint rate_limit_window;
  guint max_delete_percent;

  char *resolved_sink_uri;  /* (owned) */
  guint64 overridden;       /* bit per PROP_* set by the environment */
};

G_DEFINE_FINAL_TYPE (HsConfig, hs_config, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_HALO_URL,
  PROP_HALO_TENANT,
  PROP_HALO_CLIENT_ID,
  PROP_SINK_URI,
  PROP_SOURCE,
  PROP_SCHEDULE_ENABLED,
  PROP_SCHEDULE_INTERVAL,
  PROP_LOOK_BACK_MINUTES,
  PROP_SYNC_ON_METERED,
  PROP_RATE_LIMIT_REQUESTS,
  PROP_RATE_LIMIT_WINDOW,
  PROP_MAX_DELETE_PERCENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Each setting property is named like its GSettings key. */
static const guint setting_props[] = {
  PROP_HALO_URL, PROP_HALO_TENANT, PROP_HALO_CLIENT_ID, PROP_SINK_URI, PROP_SOURCE,
  PROP_SCHEDULE_ENABLED, PROP_SCHEDULE_INTERVAL, PROP_LOOK_BACK_MINUTES,
  PROP_SYNC_ON_METERED, PROP_RATE_LIMIT_REQUESTS, PROP_RATE_LIMIT_WINDOW,
  PROP_MAX_DELETE_PERCENT,
};

static void
set_string (char      **field,
            const char *value)
{
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
}

static void
update_resolved_sink_uri (HsConfig *self)
{
  g_free (self->resolved_sink_uri);
  if (self->sink_uri[0] != '\0')
    self->resolved_sink_uri = g_strdup (self->sink_uri);
  else
    self->resolved_sink_uri = hs_config_dup_default_sink_uri ();
}

/* Stores @value (a string, boolean or uint GValue of the property's type)
 * and returns whether it changed. */
static gboolean
store_value (HsConfig     *self,
             guint         prop_id,
             const GValue *value)
{
  char **str_field = NULL;
  gboolean *bool_field = NULL;
  guint *uint_field = NULL;

  switch (prop_id)
    {
    case PROP_HALO_URL: str_field = &self->halo_url; break;
    case PROP_HALO_TENANT: str_field = &self->halo_tenant; break;
    case PROP_HALO_CLIENT_ID: str_field = &self->halo_client_id; break;
    case PROP_SINK_URI: str_field = &self->sink_uri; break;
    case PROP_SOURCE: str_field = &self->source; break;
    case PROP_SCHEDULE_ENABLED: bool_field = &self->schedule_enabled; break;
    case PROP_SYNC_ON_METERED: bool_field = &self->sync_on_metered; break;
    case PROP_SCHEDULE_INTERVAL: uint_field = &self->schedule_interval; break;
    case PROP_LOOK_BACK_MINUTES: uint_field = &self->look_back_minutes; break;
    case PROP_RATE_LIMIT_REQUESTS: uint_field = &self->rate_limit_requests; break;
    case PROP_RATE_LIMIT_WINDOW: uint_field = &self->rate_limit_window; break;
    case PROP_MAX_DELETE_PERCENT: uint_field = &self->max_delete_percent; break;
    default:
      g_return_val_if_reached (FALSE);
    }

  if (str_field != NULL)
    {
      const char *s = g_value_get_string (value);

      if (g_strcmp0 (*str_field, s != NULL ? s : "") == 0)
        return FALSE;
      set_string (str_field, s);
      if (prop_id == PROP_SINK_URI)
        update_resolved_sink_uri (self);
      return TRUE;
    }

  if (bool_field != NULL)
    {
      gboolean b = g_value_get_boolean (value);

      if (*bool_field == b)
        return FALSE;
      *bool_field = b;
      return TRUE;
    }

  if (*uint_field == g_value_get_uint (value))
    return FALSE;
  *uint_field = g_value_get_uint (value);
  return TRUE;
}

static void
load_from_settings (HsConfig *self,
                    guint     prop_id,
                    gboolean  notify)
{
  GParamSpec *pspec = properties[prop_id];
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GVariant) variant = NULL;

  if (self->settings == NULL || (self->overridden & (G_GUINT64_CONSTANT (1) << prop_id)))
    return;

  variant = g_settings_get_value (self->settings, pspec->name);
  g_value_init (&value, pspec->value_type);
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_STRING))
    g_value_set_string (&value, g_variant_get_string (variant, NULL));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_BOOLEAN))
    g_value_set_boolean (&value, g_variant_get_boolean (variant));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_UINT32))
    g_value_set_uint (&value, g_variant_get_uint32 (variant));
  else
    g_return_if_reached ();

  /* The schema's ranges are checked by GSettings; the property's range is
   * the same, but clamp so a hand-edited backend cannot trip a critical. */
  g_param_value_validate (pspec, &value);

  if (store_value (self, prop_id, &value) && notify)
    g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
settings_changed_cb (HsConfig   *self,
                     const char *key,
                     GSettings  *settings)
{
  for (guint i = 0; i < G_N_ELEMENTS (setting_props); i++)
    {
      if (g_strcmp0 (properties[setting_props[i]]->name, key) == 0)
        {
          load_from_settings (self, setting_props[i], TRUE);
          return;
        }
    }
}

static void
override_string (HsConfig   *self,
                 guint       prop_id,
                 const char *env)
{
  const char *value = g_getenv (env);

  if (value == NULL || *value == '\0')
    return;

  set_string (prop_id == PROP_HALO_URL ? &self->halo_url :
              prop_id == PROP_HALO_TENANT ? &self->halo_tenant :
              prop_id == PROP_HALO_CLIENT_ID ? &self->halo_client_id :
              prop_id == PROP_SOURCE ? &self->source :
              &self->sink_uri,
              value);
  self->overridden |= G_GUINT64_CONSTANT (1) << prop_id;
}

static gboolean
parse_uint (const char *text,
            guint       min,
            guint       max,
            guint      *out)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &v, NULL))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static void
apply_environment (HsConfig *self)
{
  const char *value;

  override_string (self, PROP_HALO_URL, "HALOSYNC_HALO_URL");
  override_string (self, PROP_HALO_TENANT, "HALOSYNC_HALO_TENANT");
  override_string (self, PROP_HALO_CLIENT_ID, "HALOSYNC_HALO_CLIENT_ID");
  override_string (self, PROP_SINK_URI, "HALOSYNC_SINK");
  override_string (self, PROP_SOURCE, "HALOSYNC_SOURCE");

  value = g_getenv ("HALOSYNC_LOOK_BACK_MINUTES");
  if (value != NULL && *value != '\0')
    {
      GParamSpecUInt *pspec = G_PARAM_SPEC_UINT (properties[PROP_LOOK_BACK_MINUTES]);

      if (parse_uint (value, pspec->minimum, pspec->maximum, &self->look_back_minutes))
        self->overridden |= G_GUINT64_CONSTANT (1) << PROP_LOOK_BACK_MINUTES;
      else
        g_warning ("Ignoring HALOSYNC_LOOK_BACK_MINUTES=“%s”: expected minutes from %u to %u",
                   value, pspec->minimum, pspec->maximum);
    }

  value = g_getenv ("HALOSYNC_HALO_RATE_LIMIT");
  if (value != NULL && *value != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (value, "/", 2);
      guint count, seconds;

      if (g_ascii_strcasecmp (value, "off") == 0)
        {
          self->rate_limit_requests = 0;
          self->overridden |= G_GUINT64_CONSTANT (1) << PROP_RATE_LIMIT_REQUESTS;
        }
      else if (g_strv_length (parts) == 2 &&
               parse_uint (parts[0], 1, 100000, &count) &&
               parse_uint (parts[1], 1, 86400, &seconds))
        {
          self->rate_limit_requests = count;
          self->rate_limit_window = seconds;
          self->overridden |= (G_GUINT64_CONSTANT (1) << PROP_RATE_LIMIT_REQUESTS) |
                              (G_GUINT64_CONSTANT (1) << PROP_RATE_LIMIT_WINDOW);
        }
      else
        g_warning ("Ignoring HALOSYNC_HALO_RATE_LIMIT=“%s”: expected “off” or COUNT/SECONDS such as 300/300",
                   value);
    }

  update_resolved_sink_uri (self);
}

static void
hs_config_constructed (GObject *object)
{
  HsConfig *self = HS_CONFIG (object);

  G_OBJECT_CLASS (hs_config_parent_class)->constructed (object);

  apply_environment (self);

  if (self->settings != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (setting_props); i++)
        load_from_settings (self, setting_props[i], FALSE);
      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (settings_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  update_resolved_sink_uri (self);
}

static void
hs_config_dispose (GObject *object)
{
  HsConfig *self = HS_CONFIG (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hs_config_parent_class)->dispose (object);
}

static void
hs_config_finalize (GObject *object)
{
  HsConfig *self = HS_CONFIG (object);

  g_clear_pointer (&self->halo_url, g_free);
  g_clear_pointer (&self->halo_tenant, g_free);
  g_clear_pointer (&self->halo_client_id, g_free);
  g_clear_pointer (&self->sink_uri, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->resolved_sink_uri, g_free);

  G_OBJECT_CLASS (hs_config_parent_class)->finalize (object);
}

static void
hs_config_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HsConfig *self = HS_CONFIG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_HALO_URL:
      g_value_set_string (value, self->halo_url);
      break;
    case PROP_HALO_TENANT:
      g_value_set_string (value, self->halo_tenant);
      break;
    case PROP_HALO_CLIENT_ID:
      g_value_set_string (value, self->halo_client_id);
      break;
    case PROP_SINK_URI:
      g_value_set_string (value, self->resolved_sink_uri);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, hs_config_get_source (self));
      break;
    case PROP_SCHEDULE_ENABLED:
      g_value_set_boolean (value, self->schedule_enabled);
      break;
    case PROP_SCHEDULE_INTERVAL:
      g_value_set_uint (value, self->schedule_interval);
      break;
    case PROP_LOOK_BACK_MINUTES:
      g_value_set_uint (value, self->look_back_minutes);
      break;
    case PROP_SYNC_ON_METERED:
      g_value_set_boolean (value, self->sync_on_metered);
      break;
    case PROP_RATE_LIMIT_REQUESTS:
      g_value_set_uint (value, self->rate_limit_requests);
      break;
    case PROP_RATE_LIMIT_WINDOW:
      g_value_set_uint (value, self->rate_limit_window);
      break;
    case PROP_MAX_DELETE_PERCENT:
      g_value_set_uint (value, self->max_delete_percent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_config_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HsConfig *self = HS_CONFIG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_setting (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
boolean_setting (const char *name,
                 gboolean    default_value)
{
  return g_param_spec_boolean (name, NULL, NULL, default_value,
                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
uint_setting (const char *name,
              guint       min,
              guint       max,
              guint       default_value)
{
  return g_param_spec_uint (name, NULL, NULL, min, max, default_value,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

/* Where syncs read from and write to. */
static void
install_connection_properties (void)
{
  /**
   * HsConfig:halo-url:
   *
   * The Halo web app URL, such as `https://example.halopsa.com`; empty if
   * not configured.
   */
  properties[PROP_HALO_URL] = string_setting ("halo-url");

  /**
   * HsConfig:halo-tenant:
   *
   * The tenant name hosted Halo needs at its token endpoint; may be empty.
   */
  properties[PROP_HALO_TENANT] = string_setting ("halo-tenant");

  /**
   * HsConfig:halo-client-id:
   *
   * The client id of the Halo API application.
   */
  properties[PROP_HALO_CLIENT_ID] = string_setting ("halo-client-id");

  /**
   * HsConfig:sink-uri:
   *
   * Where synced data goes: `sqlite:///path/to.db` or
   * `postgresql://user@host:port/db?sslmode=require`.  Never empty: an
   * unset setting resolves to hs_config_dup_default_sink_uri().
   */
  properties[PROP_SINK_URI] = string_setting ("sink-uri");

  /**
   * HsConfig:source:
   *
   * The name of the source plugin syncs read from, such as "halo" (the
   * default when the setting is empty).
   */
  properties[PROP_SOURCE] = string_setting ("source");
}

/* When and how hard automatic syncs run. */
static void
install_schedule_properties (void)
{
  /**
   * HsConfig:schedule-enabled:
   *
   * Whether the service syncs the latest fiscal year on its own.
   */
  properties[PROP_SCHEDULE_ENABLED] = boolean_setting ("schedule-enabled", TRUE);

  /**
   * HsConfig:schedule-interval:
   *
   * Hours between automatic syncs; they run at minute 0.
   */
  properties[PROP_SCHEDULE_INTERVAL] = uint_setting ("schedule-interval", 1, 24, 1);

  /**
   * HsConfig:look-back-minutes:
   *
   * How far before the stored cursor incremental runs start reading, to
   * catch late or backdated updates.
   */
  properties[PROP_LOOK_BACK_MINUTES] = uint_setting ("look-back-minutes", 0, 10080, 60);

  /**
   * HsConfig:sync-on-metered:
   *
   * Whether automatic syncs run on a metered network connection.
   */
  properties[PROP_SYNC_ON_METERED] = boolean_setting ("sync-on-metered", FALSE);

  /**
   * HsConfig:rate-limit-requests:
   *
   * Requests allowed per rate window, shared by every run; 0 turns pacing
   * off (for a local simulator).
   */
  properties[PROP_RATE_LIMIT_REQUESTS] = uint_setting ("rate-limit-requests", 0, 100000, 300);

  /**
   * HsConfig:rate-limit-window:
   *
   * The length of the rate window in seconds.
   */
  properties[PROP_RATE_LIMIT_WINDOW] = uint_setting ("rate-limit-window", 1, 86400, 300);

  /**
   * HsConfig:max-delete-percent:
   *
   * The largest share of a fiscal year's rows a full run may mark deleted
   * without being told it may.
   */
  properties[PROP_MAX_DELETE_PERCENT] = uint_setting ("max-delete-percent", 0, 100, 10);
}

static void
hs_config_class_init (HsConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = hs_config_constructed;
  object_class->dispose = hs_config_dispose;
  object_class->finalize = hs_config_finalize;
  object_class->get_property = hs_config_get_property;
  object_class->set_property = hs_config_set_property;

  /**
   * HsConfig:settings:
   *
   * The `org.example.HaloSync` settings, or %NULL to use the defaults.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  install_connection_properties ();
  install_schedule_properties ();

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_config_init (HsConfig *self)
{
  self->halo_url = g_strdup ("");
  self->halo_tenant = g_strdup ("");
  self->halo_client_id = g_strdup ("");
  self->sink_uri = g_strdup ("");
  self->source = g_strdup ("halo");
  /* The same defaults as the properties and the schema; a test checks. */
  self->schedule_enabled = G_PARAM_SPEC_BOOLEAN (properties[PROP_SCHEDULE_ENABLED])->default_value;
  self->schedule_interval = G_PARAM_SPEC_UINT (properties[PROP_SCHEDULE_INTERVAL])->default_value;
  self->look_back_minutes = G_PARAM_SPEC_UINT (properties[PROP_LOOK_BACK_MINUTES])->default_value;
  self->sync_on_metered = G_PARAM_SPEC_BOOLEAN (properties[PROP_SYNC_ON_METERED])->default_value;
  self->rate_limit_requests = G_PARAM_SPEC_UINT (properties[PROP_RATE_LIMIT_REQUESTS])->default_value;
  self->rate_limit_window = G_PARAM_SPEC_UINT (properties[PROP_RATE_LIMIT_WINDOW])->default_value;
  self->max_delete_percent = G_PARAM_SPEC_UINT (properties[PROP_MAX_DELETE_PERCENT])->default_value;
}

/**
 * hs_config_new:
 *
 * Creates the configuration from the `org.example.HaloSync` settings when
 * that schema is installed (or found through `GSETTINGS_SCHEMA_DIR`), from
 * the built-in defaults otherwise, and from the environment in both cases.
 *
 * Returns: (transfer full): the configuration
 */
HsConfig *
hs_config_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, HS_SETTINGS_SCHEMA, TRUE);

  if (schema != NULL)
    settings = g_settings_new_full (schema, NULL, NULL);
  else
    g_debug ("Settings schema %s is not installed; using defaults and the environment",
             HS_SETTINGS_SCHEMA);

  return hs_config_new_with_settings (settings);
}

/**
 * hs_config_new_with_settings:
 * @settings: (nullable): settings of the `org.example.HaloSync` schema
 *
 * Returns: (transfer full): the configuration from @settings and the
 *   environment
 */
HsConfig *
hs_config_new_with_settings (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (HS_TYPE_CONFIG, "settings", settings, NULL);
}

/**
 * hs_config_get_settings:
 * @self: a configuration
 *
 * Returns: (transfer none) (nullable): the settings the configuration reads
 */
GSettings *
hs_config_get_settings (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), NULL);

  return self->settings;
}

/**
 * hs_config_get_halo_url:
 * @self: a configuration
 *
 * Returns: the Halo URL, empty if not configured
 */
const char *
hs_config_get_halo_url (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), NULL);

  return self->halo_url;
}

/**
 * hs_config_get_halo_tenant:
 * @self: a configuration
 *
 * Returns: the Halo tenant, possibly empty
 */
const char *
hs_config_get_halo_tenant (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), NULL);

  return self->halo_tenant;
}

/**
 * hs_config_get_halo_client_id:
 * @self: a configuration
 *
 * Returns: the Halo client id, empty if not configured
 */
const char *
hs_config_get_halo_client_id (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), NULL);

  return self->halo_client_id;
}

/**
 * hs_config_get_source:
 * @self: a configuration
 *
 * Returns: the name of the source plugin to read from; "halo" when none
 *   is configured
 */
const char *
hs_config_get_source (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), NULL);

  return self->source[0] != '\0' ? self->source : "halo";
}

/**
 * hs_config_get_sink_uri:
 * @self: a configuration
 *
 * Returns: the sink URI; the default SQLite file when none is configured
 */
const char *
hs_config_get_sink_uri (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), NULL);

  return self->resolved_sink_uri;
}

/**
 * hs_config_get_schedule_enabled:
 * @self: a configuration
 *
 * Returns: whether automatic syncs are on
 */
gboolean
hs_config_get_schedule_enabled (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), FALSE);

  return self->schedule_enabled;
}

/**
 * hs_config_get_schedule_interval:
 * @self: a configuration
 *
 * Returns: hours between automatic syncs
 */
guint
hs_config_get_schedule_interval (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), 1);

  return self->schedule_interval;
}

/**
 * hs_config_get_look_back_minutes:
 * @self: a configuration
 *
 * Returns: the incremental look-back window in minutes
 */
guint
hs_config_get_look_back_minutes (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), 0);

  return self->look_back_minutes;
}

/**
 * hs_config_get_sync_on_metered:
 * @self: a configuration
 *
 * Returns: whether automatic syncs may use a metered connection
 */
gboolean
hs_config_get_sync_on_metered (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), FALSE);

  return self->sync_on_metered;
}

/**
 * hs_config_get_rate_limit_requests:
 * @self: a configuration
 *
 * Returns: requests per rate window, or 0 if pacing is off
 */
guint
hs_config_get_rate_limit_requests (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), 0);

  return self->rate_limit_requests;
}

/**
 * hs_config_get_rate_limit_window:
 * @self: a configuration
 *
 * Returns: the rate window in seconds
 */
guint
hs_config_get_rate_limit_window (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), 1);

  return self->rate_limit_window;
}

/**
 * hs_config_get_max_delete_percent:
 * @self: a configuration
 *
 * Returns: the mass-delete guard, in percent of a window's rows
 */
guint
hs_config_get_max_delete_percent (HsConfig *self)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), 0);

  return self->max_delete_percent;
}

/**
 * hs_config_is_overridden:
 * @self: a configuration
 * @property: a property name such as "halo-url"
 *
 * Returns: %TRUE if an environment variable fixes the property, so
 *   changing the setting has no effect
 */
gboolean
hs_config_is_overridden (HsConfig   *self,
                         const char *property)
{
  GParamSpec *pspec;

  g_return_val_if_fail (HS_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (property != NULL, FALSE);

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self), property);
  if (pspec == NULL)
    return FALSE;

  for (guint i = 1; i < N_PROPS; i++)
    if (properties[i] == pspec)
      return (self->overridden & (G_GUINT64_CONSTANT (1) << i)) != 0;
  return FALSE;
}

/**
 * hs_config_dup_default_sink_uri:
 *
 * Returns: (transfer full): the URI of the embedded database,
 *   `sqlite://$XDG_DATA_HOME/halosync/halosync.db`
 */
char *
hs_config_dup_default_sink_uri (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "halosync", "halosync.db", NULL);

  /* Escaped, so a data directory with a space, "?" or "#" in its name
   * still makes a URI whose path is that directory. */
  return g_uri_join (G_URI_FLAGS_NONE, "sqlite", NULL, "", -1, path, NULL, NULL);
}

/**
 * hs_config_normalize_halo_url:
 * @url: a Halo web app address as someone typed or pasted it
 * @error: return location for an %HS_ERROR_NOT_CONFIGURED error
 *
 * The one spelling of a Halo address that the source connects to and
 * the keyring files the client secret under: trimmed, scheme and host in
 * lower case, without a default port, credentials, query, trailing
 * slashes or a trailing `/api` — so `https://Acme.HaloPSA.com/api/`
 * and `https://acme.halopsa.com` are the same tenant.
 *
 * Returns: (transfer full): the normalised URL, or %NULL when @url is not
 *   an http or https address
 */
char *
hs_config_normalize_halo_url (const char *url,
                              GError    **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  gsize len;
  int port;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (url));
  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);

  if (uri == NULL || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      /* The text is not repeated: it might hold a password. */
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED,
                   _("The Halo URL is not a web address; set halo-url to the address of your Halo web app, "
                     "such as https://example.halopsa.com"));
      return NULL;
    }

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if ((port == 443 && strcmp (scheme, "https") == 0) || (port == 80 && strcmp (scheme, "http") == 0))
    port = -1;
  path = g_strdup (g_uri_get_path (uri));
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';
  if (len >= 4 && g_ascii_strcasecmp (path + len - 4, "/api") == 0)
    path[len - 4] = '\0';

  return g_uri_join (G_URI_FLAGS_NONE, scheme, NULL, host, port, path, NULL, NULL);
}
