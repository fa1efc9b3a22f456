/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libgda/libgda.h>

#include "hs-gda-dialect.h"
#include "hs-gda-uri.h"

G_BEGIN_DECLS

/* libgda 5.2 predates g_autoptr() support for its types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaConnection, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaDataModel, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaSet, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaStatement, g_object_unref)

typedef struct _HsGdaDb HsGdaDb;

HsGdaDb            *hs_gda_db_open           (const HsGdaUri  *uri,
                                              const char      *password,
                                              GError         **error);
void                hs_gda_db_free           (HsGdaDb         *self);
const HsGdaDialect *hs_gda_db_get_dialect    (HsGdaDb         *self);
const HsGdaUri     *hs_gda_db_get_uri        (HsGdaDb         *self);
HsGdaProvider       hs_gda_db_get_provider   (HsGdaDb         *self);

GdaStatement       *hs_gda_db_prepare        (HsGdaDb         *self,
                                              const char      *sql,
                                              GError         **error);
GdaSet             *hs_gda_db_new_params     (HsGdaDb         *self,
                                              GdaStatement    *statement,
                                              GError         **error);
GdaSet             *hs_gda_params_new        (GPtrArray       *names);
gboolean            hs_gda_db_run            (HsGdaDb         *self,
                                              GdaStatement    *statement,
                                              GdaSet          *params,
                                              int             *affected,
                                              GError         **error);
GdaDataModel       *hs_gda_db_select         (HsGdaDb         *self,
                                              GdaStatement    *statement,
                                              GdaSet          *params,
                                              const GType     *types,
                                              GError         **error);
gboolean            hs_gda_db_exec           (HsGdaDb         *self,
                                              const char      *sql,
                                              int             *affected,
                                              GError         **error,
                                              ...) G_GNUC_NULL_TERMINATED;
GdaDataModel       *hs_gda_db_query          (HsGdaDb         *self,
                                              const char      *sql,
                                              const GType     *types,
                                              GError         **error,
                                              ...) G_GNUC_NULL_TERMINATED;

gboolean            hs_gda_db_begin          (HsGdaDb         *self,
                                              GError         **error);
gboolean            hs_gda_db_commit         (HsGdaDb         *self,
                                              GError         **error);
gboolean            hs_gda_db_rollback       (HsGdaDb         *self,
                                              GError         **error);
gboolean            hs_gda_db_in_transaction (HsGdaDb         *self);

gboolean            hs_gda_holder_set_string (GdaHolder       *holder,
                                              const char      *value,
                                              GError         **error);
gint64              hs_gda_model_get_int     (GdaDataModel    *model,
                                              int              column,
                                              int              row);
double              hs_gda_model_get_double  (GdaDataModel    *model,
                                              int              column,
                                              int              row);
const char         *hs_gda_model_get_string  (GdaDataModel    *model,
                                              int              column,
                                              int              row);
gboolean            hs_gda_model_is_null     (GdaDataModel    *model,
                                              int              column,
                                              int              row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsGdaDb, hs_gda_db_free)

G_END_DECLS
