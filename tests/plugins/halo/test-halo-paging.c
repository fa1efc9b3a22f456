/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test.h"
#include "hs-halo-id-set.h"
#include "hs-halo-pager.h"

static void
test_id_set_basics (void)
{
  g_autoptr(HsHaloIdSet) set = hs_halo_id_set_new ();
  const gint64 ids[] = { 1, 2, 63, 64, 65535, 65536, 65537, -1, -65536, -65537,
                         G_GINT64_CONSTANT (1) << 40, G_MAXINT64, G_MININT64 };

  g_assert_cmpuint (hs_halo_id_set_get_size (set), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_assert_false (hs_halo_id_set_contains (set, ids[i]));
      g_assert_true (hs_halo_id_set_add (set, ids[i]));
      g_assert_true (hs_halo_id_set_contains (set, ids[i]));
      g_assert_false (hs_halo_id_set_add (set, ids[i]));
    }
  g_assert_cmpuint (hs_halo_id_set_get_size (set), ==, G_N_ELEMENTS (ids));

  /* Neighbours of every id stay out. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      if (ids[i] != G_MAXINT64 && ids[i] != 1 && ids[i] != 63 &&
          ids[i] != 65535 && ids[i] != 65536 && ids[i] != -65537)
        g_assert_false (hs_halo_id_set_contains (set, ids[i] + 1));
    }
  g_assert_false (hs_halo_id_set_contains (set, 0));
  g_assert_false (hs_halo_id_set_contains (set, 3));
  g_assert_false (hs_halo_id_set_contains (set, -2));
}

static void
test_id_set_memory (void)
{
  g_autoptr(HsHaloIdSet) dense = hs_halo_id_set_new ();
  g_autoptr(HsHaloIdSet) sparse = hs_halo_id_set_new ();

  /* 200,000 tickets cost a bit each, not a hash entry each. */
  for (gint64 id = 1; id <= 200000; id++)
    g_assert_true (hs_halo_id_set_add (dense, id));
  g_assert_cmpuint (hs_halo_id_set_get_size (dense), ==, 200000);
  g_assert_cmpuint (hs_halo_id_set_get_memory (dense), <=, 40 * 1024);

  /* Ids far apart do not allocate the range between them. */
  g_assert_true (hs_halo_id_set_add (sparse, 5));
  g_assert_true (hs_halo_id_set_add (sparse, G_GINT64_CONSTANT (1000000000000)));
  g_assert_cmpuint (hs_halo_id_set_get_memory (sparse), <=, 20 * 1024);
}

typedef struct
{
  guint requests;
  guint64 rows;
} ReadResult;

/* Reads a model of Halo's paged endpoint: @total rows, @cap rows per page
 * whatever is asked, record_count sent or not. */
static ReadResult
read_all (guint    total,
          guint    cap,
          gboolean send_record_count)
{
  HsHaloPager pager;
  ReadResult result = { 0, 0 };
  gboolean more = TRUE;

  hs_halo_pager_init (&pager);
  while (more)
    {
      guint first = (pager.page - 1) * cap;
      guint n = first >= total ? 0 : MIN (cap, total - first);

      g_assert_cmpuint (result.requests, <, 10000);
      result.requests++;
      result.rows += n;
      more = hs_halo_pager_advance (&pager, n, send_record_count ? (gint64) total : -1, n > 0, first + 1);
    }
  return result;
}

static void
test_pager_record_counts (void)
{
  const struct { guint total; guint requests; } cases[] = {
    { 0, 1 }, { 1, 1 }, { 99, 1 }, { 100, 1 }, { 101, 2 }, { 250, 3 }, { 1000, 10 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ReadResult r = read_all (cases[i].total, 100, TRUE);

      g_test_message ("record_count %u", cases[i].total);
      g_assert_cmpuint (r.rows, ==, cases[i].total);
      g_assert_cmpuint (r.requests, ==, cases[i].requests);
    }
}

static void
test_pager_without_record_count (void)
{
  /* Only a short or empty page ends the read. */
  ReadResult a = read_all (250, 100, FALSE);
  ReadResult b = read_all (200, 100, FALSE);
  ReadResult c = read_all (0, 100, FALSE);

  g_assert_cmpuint (a.rows, ==, 250);
  g_assert_cmpuint (a.requests, ==, 3);
  g_assert_cmpuint (b.rows, ==, 200);
  g_assert_cmpuint (b.requests, ==, 3);
  g_assert_cmpuint (c.requests, ==, 1);
}

static void
test_pager_capped (void)
{
  /* Asking 100 and getting 50 is not a short page: the first page sets the
   * size. */
  ReadResult a = read_all (120, 50, TRUE);
  ReadResult b = read_all (120, 50, FALSE);

  g_assert_cmpuint (a.rows, ==, 120);
  g_assert_cmpuint (a.requests, ==, 3);
  g_assert_cmpuint (b.rows, ==, 120);
  g_assert_cmpuint (b.requests, ==, 3);
}

static void
test_pager_ignored_page_no (void)
{
  HsHaloPager pager;

  /* An endpoint that returns page 1 for every page_no. */
  hs_halo_pager_init (&pager);
  g_assert_true (hs_halo_pager_advance (&pager, 100, -1, TRUE, 1));
  g_assert_cmpuint (pager.page, ==, 2);
  g_assert_false (hs_halo_pager_advance (&pager, 100, -1, TRUE, 1));
}

static void
test_pager_growing (void)
{
  HsHaloPager pager;

  /* Rows added during the read raise record_count: read on. */
  hs_halo_pager_init (&pager);
  g_assert_true (hs_halo_pager_advance (&pager, 100, 150, TRUE, 1));
  g_assert_true (hs_halo_pager_advance (&pager, 100, 250, TRUE, 101));
  g_assert_cmpuint (pager.page, ==, 3);
  g_assert_false (hs_halo_pager_advance (&pager, 50, 250, TRUE, 201));
  g_assert_cmpuint (pager.collected, ==, 250);
}

int
main (int   argc,
      char *argv[])
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/halo/id-set/basics", test_id_set_basics);
  g_test_add_func ("/halo/id-set/memory", test_id_set_memory);
  g_test_add_func ("/halo/pager/record-counts", test_pager_record_counts);
  g_test_add_func ("/halo/pager/without-record-count", test_pager_without_record_count);
  g_test_add_func ("/halo/pager/capped", test_pager_capped);
  g_test_add_func ("/halo/pager/ignored-page-no", test_pager_ignored_page_no);
  g_test_add_func ("/halo/pager/growing", test_pager_growing);

  return g_test_run ();
}
