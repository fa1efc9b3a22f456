/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#define HALOSYNC_INSIDE

#include "hs-version.h"
#include "hs-enum-types.h"
#include "hs-error.h"
#include "hs-record.h"
#include "hs-fiscal-year.h"
#include "hs-run.h"
#include "hs-agent-mapping.h"
#include "hs-config.h"
#include "hs-worker.h"
#include "hs-pull.h"
#include "hs-source.h"
#include "hs-sink-run.h"
#include "hs-sink.h"
#include "hs-plugin.h"
#include "hs-plugin-loader.h"
#include "hs-engine.h"
#include "hs-variant.h"

#undef HALOSYNC_INSIDE
