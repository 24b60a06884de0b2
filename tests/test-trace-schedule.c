/* test-trace-schedule.c — the TLS 1.3 key schedule read from a trace
 * (tls-trace-schedule.h; issue 16): every box of RFC 8446, 7.1's diagram
 * that the run computed has the step that did and that step's output (the
 * same bytes on both sides: they compute the same secrets); the boxes of a
 * PSK, of 0-RTT and of tickets have no step in a run without them; each
 * Derive-Secret names its Transcript-Hash step and the messages hashed in
 * it (after a HelloRetryRequest: message_hash first, RFC 8446, 4.4.1); the
 * steps past LIMIT are not read; a TLS 1.2 run has no key schedule. */
#include "config.h"

#include <string.h>

#include "tls-conductor.h"
#include "tls-trace-schedule.h"
#include "test-util.h"

static void
test_tls13 (void)
{
  static const char *const hello[] = { "ClientHello", "ServerHello", NULL };
  static const char *const to_cv[] = { "ClientHello", "ServerHello", "EncryptedExtensions",
                                       "Certificate", "CertificateVerify", NULL };
  TlsConductor *c = tu_run_scenario ("tls13");
  const TlsTrace *t = tls_conductor_get_trace (c);
  g_autoptr (TlsSchedule) client = tls_schedule_new (t, 0, TLS_ACTOR_CLIENT, G_MAXUINT);
  g_autoptr (TlsSchedule) server = tls_schedule_new (t, 0, TLS_ACTOR_SERVER, G_MAXUINT);
  g_autoptr (TlsSchedule) early = NULL;
  int hs;

  g_test_summary ("tls13: each box is its step's output, equal on both sides; no binder_key, "
                  "early traffic, early exporter or resumption_master_secret; contexts with "
                  "their messages; LIMIT respected");
  g_assert_true (tls_schedule_present (t, 0, TLS_ACTOR_CLIENT, G_MAXUINT));
  g_assert_true (tls_schedule_present (t, 0, TLS_ACTOR_SERVER, G_MAXUINT));
  for (guint k = 0; k < TLS_SCHEDULE_N_BOXES; k++)
    {
      const TlsScheduleBox *b = &client->boxes[k], *s = &server->boxes[k];
      const TlsStep *step;

      if (k == TLS_SCHEDULE_BINDER_KEY || k == TLS_SCHEDULE_C_E_TRAFFIC
          || k == TLS_SCHEDULE_E_EXP_MASTER || k == TLS_SCHEDULE_C_E_KEYS
          || k == TLS_SCHEDULE_RES_MASTER)
        {
          g_assert_cmpint (b->step, ==, -1);
          g_assert_cmpint (s->step, ==, -1);
          g_assert_null (b->value);
          continue;
        }
      g_assert_cmpint (b->step, >=, 0);
      g_assert_cmpint (s->step, >=, 0);
      g_assert_cmpint (b->step, !=, s->step);
      step = tls_trace_get (t, (guint) b->step);
      g_assert_cmpint (step->actor, ==, TLS_ACTOR_CLIENT);
      g_assert_cmpint (step->kind, ==, TLS_STEP_DERIVATION);
      g_assert_true (g_bytes_equal (tls_step_find_output (step, b->output)->bytes, b->value));
      g_assert_true (g_bytes_equal (b->value, s->value));
      if (b->value2)
        g_assert_true (g_bytes_equal (b->value2, s->value2));
    }
  g_assert_cmpstr (client->boxes[TLS_SCHEDULE_C_HS_TRAFFIC].label, ==, "c hs traffic");
  g_assert_cmpstr (client->boxes[TLS_SCHEDULE_EXP_MASTER].label, ==, "exp master");
  g_assert_cmpstr (client->boxes[TLS_SCHEDULE_DERIVED_MASTER].label, ==, "derived");
  g_assert_null (client->boxes[TLS_SCHEDULE_MASTER_SECRET].label);
  g_assert_null (client->boxes[TLS_SCHEDULE_DERIVED_HS].context);   /* Transcript-Hash("") */
  tu_assert_box_messages (&client->boxes[TLS_SCHEDULE_C_HS_TRAFFIC], hello);
  g_assert_cmpstr (tls_trace_get (t, (guint) client->boxes[TLS_SCHEDULE_C_HS_TRAFFIC].context_step)->title,
                   ==, "Transcript-Hash");
  /* the server's verify_data covers ClientHello...CertificateVerify (4.4.4) */
  tu_assert_box_messages (&server->boxes[TLS_SCHEDULE_S_FINISHED_KEY], to_cv);
  g_assert_cmpuint (client->boxes[TLS_SCHEDULE_C_AP_TRAFFIC].messages->len, ==, 6);

  /* the steps up to the Handshake Secret only */
  hs = client->boxes[TLS_SCHEDULE_HANDSHAKE_SECRET].step;
  early = tls_schedule_new (t, 0, TLS_ACTOR_CLIENT, (guint) hs + 1);
  g_assert_cmpint (early->boxes[TLS_SCHEDULE_HANDSHAKE_SECRET].step, ==, hs);
  g_assert_cmpint (early->boxes[TLS_SCHEDULE_C_HS_TRAFFIC].step, ==, -1);
  g_assert_cmpint (early->boxes[TLS_SCHEDULE_MASTER_SECRET].step, ==, -1);
  g_assert_false (tls_schedule_present (t, 0, TLS_ACTOR_CLIENT,
                                        (guint) client->boxes[TLS_SCHEDULE_EARLY_SECRET].step));
  tls_conductor_free (c);
}

static void
test_hrr (void)
{
  static const char *const hello[] = { "message_hash", "HelloRetryRequest", "ClientHello",
                                       "ServerHello", NULL };
  TlsConductor *c = tu_run_scenario ("tls13-hrr");
  g_autoptr (TlsSchedule) ks = tls_schedule_new (tls_conductor_get_trace (c), 0, TLS_ACTOR_CLIENT,
                                                 G_MAXUINT);

  g_test_summary ("tls13-hrr: the handshake secrets' transcript starts with message_hash and "
                  "the HelloRetryRequest (RFC 8446, 4.4.1)");
  tu_assert_box_messages (&ks->boxes[TLS_SCHEDULE_S_HS_TRAFFIC], hello);
  tls_conductor_free (c);
}

static void
test_tls12 (void)
{
  TlsConductor *c = tu_run_scenario ("classic");

  g_test_summary ("classic (TLS 1.2): no TLS 1.3 key schedule on either side");
  g_assert_false (tls_schedule_present (tls_conductor_get_trace (c), 0, TLS_ACTOR_CLIENT, G_MAXUINT));
  g_assert_false (tls_schedule_present (tls_conductor_get_trace (c), 0, TLS_ACTOR_SERVER, G_MAXUINT));
  tls_conductor_free (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/schedule/tls13", test_tls13);
  g_test_add_func ("/trace/schedule/hrr", test_hrr);
  g_test_add_func ("/trace/schedule/tls12", test_tls12);
  return g_test_run ();
}
