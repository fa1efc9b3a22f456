/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libgda/libgda.h>
#include <sql-parser/gda-sql-parser.h>

#include "hs-test.h"

G_BEGIN_DECLS

/* libgda 5.2 predates g_autoptr() support for its types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaConnection, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaDataModel, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaSqlParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaStatement, g_object_unref)

/**
 * HsTestDbKind:
 * @HS_TEST_DB_SQLITE: a file under the test's isolated directory
 * @HS_TEST_DB_POSTGRESQL: a database on the server the PG* environment
 *   names (tests/with-postgresql.sh provides one)
 *
 * The databases a sink test can run against.
 */
typedef enum
{
  HS_TEST_DB_SQLITE,
  HS_TEST_DB_POSTGRESQL,
} HsTestDbKind;

typedef struct _HsTestDb HsTestDb;

HsTestDb      *hs_test_db_new            (HsTestDbKind        kind);
void           hs_test_db_free           (HsTestDb           *self);
HsTestDbKind   hs_test_db_get_kind       (HsTestDb           *self);
const char    *hs_test_db_get_uri        (HsTestDb           *self);
const char    *hs_test_db_get_name       (HsTestDb           *self);
GdaConnection *hs_test_db_connect        (HsTestDb           *self);
void           hs_test_db_exec           (HsTestDb           *self,
                                          const char         *sql);
GdaDataModel  *hs_test_db_query          (HsTestDb           *self,
                                          const char         *sql);
gint64         hs_test_db_query_int      (HsTestDb           *self,
                                          const char         *sql);
char          *hs_test_db_query_string   (HsTestDb           *self,
                                          const char         *sql);
GPtrArray     *hs_test_db_rows           (HsTestDb           *self,
                                          const char         *sql);
char          *hs_test_db_checksum       (HsTestDb           *self,
                                          const char * const *tables);
char          *hs_test_db_dup_uri_as     (HsTestDb           *self,
                                          const char         *user,
                                          const char         *password);
const char    *hs_test_db_kind_to_string (HsTestDbKind        kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTestDb, hs_test_db_free)

G_END_DECLS
