/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-enum-types.h"
#include "hs-run.h"

/* The stable names of the run's enumerations, as the ledger stores them
 * and D-Bus carries them: the nicks glib-mkenums gives their values. */

static const char *
nick_of (GType type,
         int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  /* Static types keep their classes: the nick outlives the unref. */
  g_type_class_unref (klass);
  return enum_value != NULL ? enum_value->value_nick : NULL;
}

static gboolean
value_of (GType       type,
          const char *nick,
          int        *value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (enum_value != NULL)
    *value = enum_value->value;
  g_type_class_unref (klass);
  return enum_value != NULL;
}

/**
 * hs_trigger_to_string:
 * @trigger: a trigger
 *
 * Returns: its stable name, such as the ledger stores
 */
const char *
hs_trigger_to_string (HsTrigger trigger)
{
  return nick_of (HS_TYPE_TRIGGER, trigger);
}

/**
 * hs_trigger_from_string:
 * @text: (nullable): a name hs_trigger_to_string() gives
 * @trigger: (out): the value
 *
 * Returns: %TRUE if @text names a trigger
 */
gboolean
hs_trigger_from_string (const char *text,
                        HsTrigger *trigger)
{
  int value;

  g_return_val_if_fail (trigger != NULL, FALSE);

  if (!value_of (HS_TYPE_TRIGGER, text, &value))
    return FALSE;
  *trigger = (HsTrigger) value;
  return TRUE;
}

/**
 * hs_run_status_to_string:
 * @status: a status
 *
 * Returns: its stable name, such as the ledger stores
 */
const char *
hs_run_status_to_string (HsRunStatus status)
{
  return nick_of (HS_TYPE_RUN_STATUS, status);
}

/**
 * hs_run_status_from_string:
 * @text: (nullable): a name hs_run_status_to_string() gives
 * @status: (out): the value
 *
 * Returns: %TRUE if @text names a status
 */
gboolean
hs_run_status_from_string (const char *text,
                           HsRunStatus *status)
{
  int value;

  g_return_val_if_fail (status != NULL, FALSE);

  if (!value_of (HS_TYPE_RUN_STATUS, text, &value))
    return FALSE;
  *status = (HsRunStatus) value;
  return TRUE;
}

/**
 * hs_run_stage_to_string:
 * @stage: a stage
 *
 * Returns: its stable name, such as the ledger stores
 */
const char *
hs_run_stage_to_string (HsRunStage stage)
{
  return nick_of (HS_TYPE_RUN_STAGE, stage);
}

/**
 * hs_run_stage_from_string:
 * @text: (nullable): a name hs_run_stage_to_string() gives
 * @stage: (out): the value
 *
 * Returns: %TRUE if @text names a stage
 */
gboolean
hs_run_stage_from_string (const char *text,
                          HsRunStage *stage)
{
  int value;

  g_return_val_if_fail (stage != NULL, FALSE);

  if (!value_of (HS_TYPE_RUN_STAGE, text, &value))
    return FALSE;
  *stage = (HsRunStage) value;
  return TRUE;
}

/**
 * hs_sync_mode_to_string:
 * @mode: a mode
 *
 * Returns: its stable name, such as the ledger stores
 */
const char *
hs_sync_mode_to_string (HsSyncMode mode)
{
  return nick_of (HS_TYPE_SYNC_MODE, mode);
}

/**
 * hs_sync_mode_from_string:
 * @text: (nullable): a name hs_sync_mode_to_string() gives
 * @mode: (out): the value
 *
 * Returns: %TRUE if @text names a mode
 */
gboolean
hs_sync_mode_from_string (const char *text,
                          HsSyncMode *mode)
{
  int value;

  g_return_val_if_fail (mode != NULL, FALSE);

  if (!value_of (HS_TYPE_SYNC_MODE, text, &value))
    return FALSE;
  *mode = (HsSyncMode) value;
  return TRUE;
}

/**
 * hs_counter_to_string:
 * @counter: a counter
 *
 * Returns: its stable name, such as the ledger stores
 */
const char *
hs_counter_to_string (HsCounter counter)
{
  return nick_of (HS_TYPE_COUNTER, counter);
}

/**
 * hs_counter_from_string:
 * @text: (nullable): a name hs_counter_to_string() gives
 * @counter: (out): the value
 *
 * Returns: %TRUE if @text names a counter
 */
gboolean
hs_counter_from_string (const char *text,
                        HsCounter *counter)
{
  int value;

  g_return_val_if_fail (counter != NULL, FALSE);

  if (!value_of (HS_TYPE_COUNTER, text, &value))
    return FALSE;
  *counter = (HsCounter) value;
  return TRUE;
}
