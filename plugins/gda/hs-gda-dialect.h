/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>

#include "hs-gda-uri.h"

G_BEGIN_DECLS

/* The SQL types HaloSync stores; the first five match #HsFieldType. */
typedef enum
{
  HS_GDA_TYPE_INT = HS_FIELD_INT,
  HS_GDA_TYPE_DOUBLE = HS_FIELD_DOUBLE,
  HS_GDA_TYPE_BOOLEAN = HS_FIELD_BOOLEAN,
  HS_GDA_TYPE_TEXT = HS_FIELD_TEXT,
  HS_GDA_TYPE_TIMESTAMP = HS_FIELD_TIMESTAMP,
  HS_GDA_TYPE_DATE,
} HsGdaType;

/* Room for any value hs_gda_dialect_format_*() writes. */
#define HS_GDA_VALUE_BUF 48

typedef struct _HsGdaDialect HsGdaDialect;

const HsGdaDialect *hs_gda_dialect_get                (HsGdaProvider       provider);
HsGdaProvider       hs_gda_dialect_get_provider       (const HsGdaDialect *self);
const char         *hs_gda_dialect_get_distinct       (const HsGdaDialect *self);
char               *hs_gda_dialect_expand             (const HsGdaDialect *self,
                                                       const char         *sql);
void                hs_gda_dialect_append_param       (const HsGdaDialect *self,
                                                       GString            *sql,
                                                       const char         *name,
                                                       HsGdaType           type);
void                hs_gda_dialect_append_array_param (const HsGdaDialect *self,
                                                       GString            *sql,
                                                       const char         *name,
                                                       HsGdaType           type);
void                hs_gda_dialect_append_column      (const HsGdaDialect *self,
                                                       GString            *sql,
                                                       const char         *column,
                                                       HsGdaType           type);
void                hs_gda_dialect_append_month       (const HsGdaDialect *self,
                                                       GString            *sql,
                                                       const char         *column);
GType               hs_gda_dialect_get_read_type      (HsGdaType           type);
const char         *hs_gda_dialect_format_timestamp   (const HsGdaDialect *self,
                                                       gint64              usec,
                                                       char               *buf);
const char         *hs_gda_dialect_format_boolean     (const HsGdaDialect *self,
                                                       gboolean            value);
const char         *hs_gda_dialect_format_cell        (const HsGdaDialect *self,
                                                       HsRecordBatch      *batch,
                                                       guint               record,
                                                       guint               field,
                                                       HsFieldType         type,
                                                       char               *buf);

G_END_DECLS
