/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "hs-sim-random.h"

G_BEGIN_DECLS

typedef struct
{
  guint id;
  const char *name;
  const char *department;
} HsSimTeamInfo;

typedef struct
{
  guint id;
  const char *name;
  gboolean closed;
} HsSimStatusInfo;

typedef struct
{
  guint id;
  const char *name;
  gboolean system;
} HsSimOutcomeInfo;

/* Halo's status 9 is "Closed"; the others are open states. */
#define HS_SIM_STATUS_CLOSED 9

guint                   hs_sim_words_n_teams         (void);
const HsSimTeamInfo    *hs_sim_words_team            (guint        index);
const HsSimStatusInfo  *hs_sim_words_status          (guint        id);
const char             *hs_sim_words_ticket_type     (guint        id);
guint                   hs_sim_words_n_ticket_types  (void);
const char             *hs_sim_words_category        (guint        index);
guint                   hs_sim_words_n_categories    (void);
const HsSimOutcomeInfo *hs_sim_words_outcome         (guint        id);
guint                   hs_sim_words_n_outcomes      (void);

void                    hs_sim_words_person          (HsSimRng    *rng,
                                                      const char **first,
                                                      const char **last);
char                   *hs_sim_words_email           (const char  *first,
                                                      const char  *last,
                                                      guint        id);
void                    hs_sim_words_company         (HsSimRng    *rng,
                                                      GString     *out);
void                    hs_sim_words_summary         (HsSimRng    *rng,
                                                      GString     *out);
void                    hs_sim_words_details         (HsSimRng    *rng,
                                                      const char  *summary,
                                                      GString     *out);
void                    hs_sim_words_note            (HsSimRng    *rng,
                                                      gboolean     time_entry,
                                                      GString     *out);

G_END_DECLS
