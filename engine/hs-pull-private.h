/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-pull.h"

G_BEGIN_DECLS

/* The engine consumes a pull's batches: it must complete @task (with
 * g_task_return_boolean() or an error) once it has room for the next
 * batch, which is how a slow sink slows the source down. */
typedef void (*HsPullConsumer) (HsPull        *pull,
                                HsRecordBatch *batch,
                                GTask         *task,
                                gpointer       user_data);

void _hs_pull_set_consumer (HsPull         *self,
                            HsPullConsumer  consumer,
                            gpointer        user_data);

G_END_DECLS
