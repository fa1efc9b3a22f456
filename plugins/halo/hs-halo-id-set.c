/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-halo-id-set.h"

/* The ids seen in one run, to drop rows that shift between pages.  Halo's
 * ids are small, dense integers, so a bitset costs one bit per possible id
 * (200,000 tickets: 25 KiB) where a hash set would cost ~40 bytes per id
 * seen.  Ids far apart (or negative) must not allocate the whole range
 * between them, so the bits live in 8 KiB chunks created on first use. */

#define CHUNK_BITS 65536
#define CHUNK_WORDS (CHUNK_BITS / 64)

typedef struct
{
  gint64 index;  /* the hash key: id / CHUNK_BITS, rounded down */
  guint64 words[CHUNK_WORDS];
} Chunk;

struct _HsHaloIdSet
{
  GHashTable *chunks;  /* (owned): &Chunk.index → Chunk */
  Chunk *last;         /* (unowned): ids arrive mostly in order */
  guint64 size;
};

/**
 * hs_halo_id_set_new:
 *
 * Returns: (transfer full): an empty set
 */
HsHaloIdSet *
hs_halo_id_set_new (void)
{
  HsHaloIdSet *self = g_new0 (HsHaloIdSet, 1);

  self->chunks = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  return self;
}

/**
 * hs_halo_id_set_free:
 * @self: (transfer full): a set
 */
void
hs_halo_id_set_free (HsHaloIdSet *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->chunks);
  g_free (self);
}

static gint64
chunk_index (gint64 id)
{
  /* Floor division, so -1 lands in chunk -1 and not with 0. */
  return id >= 0 ? id / CHUNK_BITS : -((-(id + 1)) / CHUNK_BITS) - 1;
}

static Chunk *
find_chunk (HsHaloIdSet *self,
            gint64       index)
{
  Chunk *chunk;

  if (self->last != NULL && self->last->index == index)
    return self->last;

  chunk = g_hash_table_lookup (self->chunks, &index);
  if (chunk != NULL)
    self->last = chunk;
  return chunk;
}

/**
 * hs_halo_id_set_add:
 * @self: a set
 * @id: an id
 *
 * Returns: %TRUE if @id was not in the set yet
 */
gboolean
hs_halo_id_set_add (HsHaloIdSet *self,
                    gint64       id)
{
  gint64 index = chunk_index (id);
  guint bit = (guint) (id - index * CHUNK_BITS);
  guint64 mask = G_GUINT64_CONSTANT (1) << (bit % 64);
  Chunk *chunk;

  g_return_val_if_fail (self != NULL, FALSE);

  chunk = find_chunk (self, index);
  if (chunk == NULL)
    {
      chunk = g_new0 (Chunk, 1);
      chunk->index = index;
      g_hash_table_insert (self->chunks, &chunk->index, chunk);
      self->last = chunk;
    }

  if (chunk->words[bit / 64] & mask)
    return FALSE;

  chunk->words[bit / 64] |= mask;
  self->size++;
  return TRUE;
}

/**
 * hs_halo_id_set_contains:
 * @self: a set
 * @id: an id
 *
 * Returns: %TRUE if @id is in the set
 */
gboolean
hs_halo_id_set_contains (HsHaloIdSet *self,
                         gint64       id)
{
  gint64 index = chunk_index (id);
  guint bit = (guint) (id - index * CHUNK_BITS);
  Chunk *chunk;

  g_return_val_if_fail (self != NULL, FALSE);

  chunk = find_chunk (self, index);
  return chunk != NULL && (chunk->words[bit / 64] & (G_GUINT64_CONSTANT (1) << (bit % 64))) != 0;
}

/**
 * hs_halo_id_set_get_size:
 * @self: a set
 *
 * Returns: how many ids the set holds
 */
guint64
hs_halo_id_set_get_size (HsHaloIdSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

/**
 * hs_halo_id_set_get_memory:
 * @self: a set
 *
 * Returns: the bytes the set's bits occupy, to show that it grows with
 *   the id range and not with a hash table's per-entry cost
 */
gsize
hs_halo_id_set_get_memory (HsHaloIdSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->chunks) * sizeof (Chunk);
}
