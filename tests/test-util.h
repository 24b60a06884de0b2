/* test-util.h — helpers the engine tests share. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tls-conductor.h"
#include "tls-trace-schedule.h"

G_BEGIN_DECLS

/* Bytes from hex; the test fails if it is not hex. */
GBytes       *tu_hex             (const char *hex);
/* The hex string member NAME of O, as bytes. */
GBytes       *tu_member_hex      (JsonObject *o, const char *name);
/* A Wycheproof file of tests/data/wycheproof/, parsed. */
JsonParser   *tu_load_wycheproof (const char *file);
/* The demo data folder (HANDSHAKE_LAB_DATADIR, set by meson). */
const char   *tu_datadir         (void);
/* Runs SC (the conductor copies it) to its end with our client and server. */
TlsConductor *tu_run             (const TlsScenario *sc);
/* Runs the built-in scenario NAME to its end with our client and server. */
TlsConductor *tu_run_scenario    (const char *name);

/* The first (tu_step) or the Nth from 0 (tu_step_nth) step of KIND, ACTOR
 * and TITLE in connection CONN of T, NULL when there is none; CONN or
 * ACTOR -1: any. tu_count: how many there are. */
const TlsStep *tu_step           (const TlsTrace *t, int conn, TlsStepKind kind, int actor,
                                  const char *title);
const TlsStep *tu_step_nth       (const TlsTrace *t, int conn, TlsStepKind kind, int actor,
                                  const char *title, guint nth);
guint         tu_count           (const TlsTrace *t, int conn, TlsStepKind kind, int actor,
                                  const char *title);
/* The bytes of value NAME (input or output; tu_output: output only) of
 * step S; the test fails when S or the value is missing. */
GBytes       *tu_value           (const TlsStep *s, const char *name);
GBytes       *tu_output          (const TlsStep *s, const char *name);
/* Whether an entry of the "extensions" field of message step MSG has NAME
 * in its name or value. */
gboolean      tu_has_extension   (const TlsStep *msg, const char *name);
/* The test fails unless the messages hashed for key schedule box B are
 * WANT (NULL-terminated), in order. */
void          tu_assert_box_messages (const TlsScheduleBox *b, const char *const *want);

/* A fresh temporary folder; how many entries it holds; removing it with
 * everything in it. */
char         *tu_tmpdir_new      (void);
guint         tu_tmpdir_count    (const char *dir);
void          tu_tmpdir_remove   (const char *dir);

#define TU_DATA(b) ((const guint8 *) g_bytes_get_data ((b), NULL))
#define TU_SIZE(b) g_bytes_get_size ((b))

G_END_DECLS
